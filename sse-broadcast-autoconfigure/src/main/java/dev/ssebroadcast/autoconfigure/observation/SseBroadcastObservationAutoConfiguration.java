package dev.ssebroadcast.autoconfigure.observation;

import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import dev.ssebroadcast.autoconfigure.SseBroadcastProperties;
import dev.ssebroadcast.web.SseEndpoint;
import dev.ssebroadcast.web.StreamObservationPredicate;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that keeps streams out of request observations when Micrometer's
 * observation API is present.
 */
@AutoConfiguration(after = SseBroadcastAutoConfiguration.class)
@ConditionalOnClass(ObservationPredicate.class)
@ConditionalOnBean(SseEndpoint.class)
public final class SseBroadcastObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StreamObservationPredicate sseStreamObservationPredicate(SseBroadcastProperties properties) {
		return new StreamObservationPredicate(properties.getPath());
	}

}
