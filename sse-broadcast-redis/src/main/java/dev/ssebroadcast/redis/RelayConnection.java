package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * One connection of the relay's own, on which every command waits a bounded time.
 * <p>
 * It closes itself when the server goes away, rather than let the client reconnect it
 * on its own schedule: a reconnected Lettuce connection sends again the commands that
 * were in flight, which could publish an event that its caller was already told had
 * failed. The relay opens a new connection instead, with its own backoff.
 */
final class RelayConnection implements AutoCloseable {

	// The client's timeout comes after the caller's deadline, whose failure says more.
	private static final Duration CLIENT_TIMEOUT_MARGIN = Duration.ofSeconds(1);

	private final StatefulConnection<byte[], byte[]> connection;

	private final RedisClusterAsyncCommands<byte[], byte[]> commands;

	private RelayConnection(StatefulConnection<byte[], byte[]> connection) {
		this.connection = connection;
		this.commands = commandsOf(connection);
		connection.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
				if (!handler.isClosed()) {
					handler.closeAsync();
				}
			}

		});
	}

	/**
	 * Open a connection, waiting at most {@code timeout}: a connection attempt to an
	 * unreachable address can otherwise take as long as the client's connect timeout.
	 * @param longestWait the longest any command on it is waited for: the client's own
	 * command timeout ({@code spring.data.redis.timeout}, often shorter than a blocking
	 * read) is raised past it, so that each command ends at the deadline its caller sets
	 */
	static RelayConnection open(Supplier<StatefulConnection<byte[], byte[]>> connector, Duration timeout,
			Duration longestWait) throws InterruptedException {
		CompletableFuture<StatefulConnection<byte[], byte[]>> opening = new CompletableFuture<>();
		Thread.ofVirtual().name("sse-redis-connect").start(() -> {
			try {
				StatefulConnection<byte[], byte[]> connection = connector.get();
				try {
					connection.setTimeout(longestWait.plus(CLIENT_TIMEOUT_MARGIN));
				}
				catch (RuntimeException ex) {
					connection.close();
					throw ex;
				}
				opening.complete(connection);
			}
			catch (Throwable ex) {
				opening.completeExceptionally(ex);
			}
		});
		try {
			return new RelayConnection(opening.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (TimeoutException ex) {
			opening.thenAccept(StatefulConnection::close);
			throw new RedisException("no connection within " + timeout.toMillis() + "ms");
		}
		catch (InterruptedException ex) {
			opening.thenAccept(StatefulConnection::close);
			throw ex;
		}
		catch (ExecutionException ex) {
			throw asRedisException(ex.getCause());
		}
	}

	RedisClusterAsyncCommands<byte[], byte[]> commands() {
		return this.commands;
	}

	boolean isOpen() {
		return this.connection.isOpen();
	}

	/**
	 * Wait for a command's result at most {@code timeout}. A command that has not
	 * answered by then is cancelled, so that it is never sent if it still waits in the
	 * client's buffer.
	 * @throws RedisCommandTimeoutException if it did not answer in time
	 * @throws RedisException if it failed
	 */
	<T> T await(Future<T> command, Duration timeout) throws InterruptedException {
		try {
			return command.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			command.cancel(true);
			throw new RedisCommandTimeoutException("no answer within " + timeout.toMillis() + "ms");
		}
		catch (InterruptedException ex) {
			command.cancel(true);
			throw ex;
		}
		catch (CancellationException ex) {
			// The connection closed, when the server went away or the relay stopped.
			throw new RedisException("connection closed");
		}
		catch (ExecutionException ex) {
			throw asRedisException(ex.getCause());
		}
	}

	/**
	 * Run a script by its digest, sending its source only when the server does not
	 * know it yet (after a restart, for example).
	 */
	<T> T run(RelayScript script, ScriptOutputType type, byte[][] keys, byte[][] args, Duration timeout)
			throws InterruptedException {
		return await(start(script, type, keys, args), timeout);
	}

	/**
	 * Start running a script as {@link #run} does, without waiting for its answer.
	 * Cancelling the result cancels the command, so that it is never sent if it still
	 * waits in the client's buffer.
	 */
	<T> CompletableFuture<T> start(RelayScript script, ScriptOutputType type, byte[][] keys, byte[][] args) {
		CompletableFuture<T> result = new CompletableFuture<>();
		RedisFuture<T> byDigest = this.commands.evalsha(script.digest(), type, keys, args);
		byDigest.whenComplete((value, failure) -> {
			if (failure instanceof RedisNoScriptException) {
				RedisFuture<T> bySource = this.commands.eval(script.source(), type, keys, args);
				result.whenComplete((ignored, cancelled) -> cancelIfCancelled(result, bySource));
				bySource.whenComplete((answer, error) -> complete(result, answer, error));
			}
			else {
				complete(result, value, failure);
			}
		});
		result.whenComplete((ignored, cancelled) -> cancelIfCancelled(result, byDigest));
		return result;
	}

	@Override
	public void close() {
		if (!(this.connection instanceof RedisChannelHandler<?, ?> handler) || !handler.isClosed()) {
			this.connection.closeAsync();
		}
	}

	private static <T> void complete(CompletableFuture<T> result, T value, Throwable failure) {
		if (failure != null) {
			result.completeExceptionally((failure instanceof CompletionException wrapped && wrapped.getCause() != null)
					? wrapped.getCause() : failure);
		}
		else {
			result.complete(value);
		}
	}

	private static void cancelIfCancelled(CompletableFuture<?> result, Future<?> command) {
		if (result.isCancelled()) {
			command.cancel(true);
		}
	}

	@SuppressWarnings("unchecked")
	private static RedisClusterAsyncCommands<byte[], byte[]> commandsOf(StatefulConnection<byte[], byte[]> connection) {
		if (connection instanceof StatefulRedisConnection<byte[], byte[]> standalone) {
			return standalone.async();
		}
		return ((StatefulRedisClusterConnection<byte[], byte[]>) connection).async();
	}

	private static RedisException asRedisException(Throwable cause) {
		return (cause instanceof RedisException redis) ? redis : new RedisException(cause);
	}

}
