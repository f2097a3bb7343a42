package dev.ssebroadcast.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.OverflowPolicy;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code sse} endpoint: a read-only view of the connected clients and the
 * broadcaster's counters. Like every endpoint, it is only reachable over HTTP once the
 * application exposes it.
 */
@Endpoint(id = "sse")
public class SseConnectionsEndpoint {

	private final SseBroadcaster broadcaster;

	/**
	 * Create the endpoint.
	 * @param broadcaster the broadcaster to describe
	 */
	public SseConnectionsEndpoint(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@ReadOperation
	public ConnectionsDescriptor connections() {
		SseStatistics statistics = this.broadcaster.statistics();
		List<ConnectionDescriptor> connections = this.broadcaster.clients()
			.stream()
			.map(ConnectionDescriptor::new)
			.toList();
		return new ConnectionsDescriptor(statistics.clients(), statistics.published(), statistics.delivered(),
				statistics.dropped(), statistics.disconnects(), connections);
	}

	/**
	 * The endpoint's answer.
	 *
	 * @param clients connected clients
	 * @param published events accepted for sending
	 * @param delivered events written to clients
	 * @param dropped events lost to drop policies
	 * @param disconnects clients disconnected so far, by reason
	 * @param connections one entry per connected client
	 */
	public record ConnectionsDescriptor(int clients, long published, long delivered, long dropped,
			Map<DisconnectReason, Long> disconnects, List<ConnectionDescriptor> connections)
			implements OperationResponseBody {

	}

	/**
	 * One connected client.
	 *
	 * @param id the connection id
	 * @param principal the user's name, or {@code null}
	 * @param topics the subscribed topics
	 * @param connectedSince when it connected
	 * @param queued events waiting to be written
	 * @param dropped events it lost to its overflow policy
	 * @param overflow its overflow policy
	 */
	public record ConnectionDescriptor(long id, @Nullable String principal, Set<String> topics, Instant connectedSince,
			int queued, long dropped, OverflowPolicy overflow) {

		ConnectionDescriptor(SseClient client) {
			this(client.id(), client.user(), new TreeSet<>(client.topics()), client.connectedAt(), client.queued(),
					client.dropped(), client.overflow());
		}

	}

}
