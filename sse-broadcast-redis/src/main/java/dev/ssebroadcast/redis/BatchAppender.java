package dev.ssebroadcast.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.ssebroadcast.redis.PublishBatcher.Publish;
import dev.ssebroadcast.redis.WireFormat.Appended;
import dev.ssebroadcast.redis.WireFormat.InvalidStateException;
import dev.ssebroadcast.redis.WireFormat.Published;
import dev.ssebroadcast.relay.InProcessRelay;
import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.SseRelayException;
import dev.ssebroadcast.relay.SseRelayNotPublishedException;
import dev.ssebroadcast.relay.SseRelayOutcomeUnknownException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Appends each batch of the {@link PublishBatcher} with one call of the publish script
 * and tells each caller what became of its own event: its position or that it was a
 * duplicate; not published when there was no connection or Redis refused the command;
 * unknown when the command was sent and no answer came, or the answer cannot be read.
 * It also records what Redis acknowledged, so that the next batch checks Redis did not
 * lose it.
 */
final class BatchAppender implements PublishBatcher.Sender {

	private static final Log logger = LogFactory.getLog(BatchAppender.class);

	private final WireFormat format;

	private final String address;

	private final Duration timeout;

	private final byte[] maxLength;

	private final byte[] maxAge;

	private final AcknowledgedPosition acknowledged;

	private final Connector connector;

	private final BooleanSupplier connected;

	/**
	 * @param connector the publishing connection, opened again if it was lost
	 * @param connected whether that connection is open now
	 */
	BatchAppender(RelaySettings settings, String address, AcknowledgedPosition acknowledged, Connector connector,
			BooleanSupplier connected) {
		this.format = settings.format();
		this.address = address;
		this.timeout = settings.timeout();
		this.maxLength = WireFormat.bytes(Long.toString(settings.maxLength()));
		this.maxAge = WireFormat.bytes(Long.toString(settings.maxAgeMillis()));
		this.acknowledged = acknowledged;
		this.connector = connector;
		this.connected = connected;
	}

	@Override
	public boolean isReady() {
		return this.connected.getAsBoolean();
	}

	@Override
	public CompletableFuture<?> send(List<Publish> batch) {
		RelayConnection connection;
		try {
			// Its first event waits longest: the others may wait as long.
			connection = this.connector.publisher(batch.get(0).deadline());
		}
		catch (RedisException ex) {
			return failAll(batch, (publish) -> new SseRelayNotPublishedException("Redis is unreachable at "
					+ this.address + " (" + ex.getMessage() + "); the event was not published", ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return failAll(batch, (publish) -> new SseRelayNotPublishedException(
					"Interrupted while connecting to Redis at " + this.address + "; the event was not published", ex));
		}
		List<RelayedEvent> events = batch.stream().map(Publish::event).toList();
		byte[][] arguments = this.format.publishArguments(events, InProcessRelay.newEpoch(), this.maxLength,
				this.maxAge, StreamReader.micros(Instant.now()), System.nanoTime(), this.acknowledged.highest());
		CompletableFuture<List<Object>> command = connection.start(WireFormat.PUBLISH, ScriptOutputType.MULTI,
				this.format.publishKeys(), arguments);
		command.whenComplete((reply, failure) -> {
			if (failure != null) {
				failed(batch, failure);
			}
			else {
				answered(batch, reply);
			}
		});
		return command;
	}

	@Override
	public SseRelayException notSent(RelayedEvent event, boolean interrupted) {
		Exception cause = waited(interrupted);
		return new SseRelayNotPublishedException(cause.getMessage() + " while earlier events waited for Redis at "
				+ this.address + "; the event was not sent, so it was not published", cause);
	}

	@Override
	public SseRelayException unanswered(RelayedEvent event, boolean interrupted) {
		Exception cause = waited(interrupted);
		return unknown(interrupted ? "Interrupted while waiting for Redis at " + this.address
				: "Redis at " + this.address + " did not answer (" + cause.getMessage() + ")", event, cause);
	}

	private Exception waited(boolean interrupted) {
		return interrupted ? new InterruptedException("Interrupted")
				: new RedisCommandTimeoutException("no answer within " + this.timeout.toMillis() + "ms");
	}

	private void answered(List<Publish> batch, List<Object> reply) {
		Published published;
		try {
			published = this.format.published(reply, batch.size());
		}
		catch (InvalidStateException ex) {
			failed(batch, ex);
			return;
		}
		if (published.repaired() != null) {
			logger.warn("Redis at " + this.address + " held what the relay did not write or lost what it had "
					+ "acknowledged (" + published.repaired() + "): replaced by a new epoch; clients are sent sse-reset");
		}
		for (int i = 0; i < batch.size(); i++) {
			Appended appended = published.events().get(i);
			if (!appended.isDuplicate()) {
				this.acknowledged.acknowledged(appended.position(), appended.streamId());
			}
			batch.get(i).complete(appended);
		}
	}

	private void failed(List<Publish> batch, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
				? failure.getCause() : failure;
		String address = this.address;
		for (Publish publish : batch) {
			publish.fail(switch (cause) {
				case RedisCommandExecutionException ex -> new SseRelayNotPublishedException(
						"Redis at " + address + " refused the event (" + ex.getMessage() + "); it was not published",
						ex);
				case RedisCommandTimeoutException ex -> unknown(
						"Redis at " + address + " did not answer (" + ex.getMessage() + ")", publish.event(), ex);
				case InvalidStateException ex -> unknown(
						"Redis at " + address + " answered what the relay cannot read (" + ex.getMessage() + ")",
						publish.event(), ex);
				case CancellationException ex -> unknown("Redis is unreachable at " + address
						+ " (connection closed while waiting for its answer)", publish.event(), ex);
				default -> unknown("Redis is unreachable at " + address + " (" + cause.getMessage()
						+ " while waiting for its answer)", publish.event(), cause);
			});
		}
	}

	private static CompletableFuture<?> failAll(List<Publish> batch, Function<Publish, SseRelayException> failure) {
		batch.forEach((publish) -> publish.fail(failure.apply(publish)));
		return CompletableFuture.completedFuture(null);
	}

	private static SseRelayOutcomeUnknownException unknown(String what, RelayedEvent event, Throwable cause) {
		String retry = (event.id() != null)
				? "publishing it again with the same id is safe: it is appended at most once"
				: "it has no id, so publishing it again may deliver it twice";
		return new SseRelayOutcomeUnknownException(what + "; the event may have been published: " + retry, cause);
	}

	/**
	 * The publishing connection, opened again if it was lost.
	 */
	@FunctionalInterface
	interface Connector {

		/**
		 * @param deadline {@link System#nanoTime()} after which to wait no more
		 * @throws RedisException if there is no connection
		 */
		RelayConnection publisher(long deadline) throws InterruptedException;

	}

}
