package dev.ssebroadcast;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.ssebroadcast.relay.InProcessRelay;
import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.RelayedEvent.Audience;
import dev.ssebroadcast.relay.SseRelay;
import dev.ssebroadcast.relay.SseRelayException;
import org.jspecify.annotations.Nullable;

/**
 * Sends Server-Sent Events to connected clients: to everyone, to the subscribers of a
 * topic, to every connection of a user, or to one connection.
 * <p>
 * Publishing is thread-safe and never blocks on a client: the event is encoded once and
 * the same bytes are offered to each recipient's bounded queue; each client's own thread
 * writes them to its connection (see {@link SseClient#streamTo}). No socket I/O happens
 * on the publishing thread. Every client receives events in one global order, the order
 * in which the publishing calls took effect.
 * <p>
 * A client whose queue is full when an event arrives is handled by its
 * {@link OverflowPolicy}: by default it is disconnected, and its browser reconnects and
 * is sent what it missed from the history. Every other client and the publisher carry on
 * unaffected; every drop and disconnect is counted in {@link #statistics()}.
 * <p>
 * Events broadcast to everyone or sent to a topic get an id (unless the application
 * gives its own) made of an epoch and a sequence number, such as {@code k3x9az-42}, and
 * are kept in a history bounded per topic and in total, so that a client that reconnects with
 * {@code Last-Event-ID} first receives exactly the events it missed, then live ones. If
 * they are no longer all kept, or the id cannot be resolved to one position (it is from
 * an earlier run, unknown, or an application id that more than one kept event carries),
 * it receives an event named {@value #RESET_EVENT} instead, meaning: reload your state.
 * Events sent to a user or a single client are not kept and carry no generated id.
 * <p>
 * Events travel through an {@link SseRelay}: by default one that delivers on the
 * publishing thread to this instance only; a shared relay makes several instances act
 * as one broadcaster, with the same order and ids everywhere.
 */
public class SseBroadcaster implements AutoCloseable {

	/** The event a reconnecting client gets when its missed events cannot be replayed. */
	public static final String RESET_EVENT = EventEncoder.RESET_EVENT;

	/**
	 * The last event of a stream whose authentication or session ended: log in again
	 * rather than reconnect. See {@link SseClient#expireAt}.
	 */
	public static final String EXPIRED_EVENT = EventEncoder.EXPIRED_EVENT;

	// What a stream that reached its lifetime ends with, when no retry is set.
	private static final Duration LIFETIME_RETRY = Duration.ofSeconds(1);

	private static final byte[] NO_FRAME = new byte[0];

	private final ClientRegistry clients = new ClientRegistry();

	private final Counters counters = new Counters();

	private final Settings settings;

	private final ClientStream.Shared streams;

	private final EventEncoder encoder;

	private final LocalFanOut fanOut;

	private final SseRelay relay;

	private final Heartbeat heartbeat;

	private final StreamDeadlines deadlines = new StreamDeadlines();

	private final ShutdownSpread shutdown;

	private final byte[] prelude;

	private final AtomicLong lastClientId;

	private volatile boolean closed;

	/**
	 * A broadcaster with default settings; see {@link #builder()}.
	 */
	public SseBroadcaster() {
		this(new Builder());
	}

	private SseBroadcaster(Builder builder) {
		this.settings = new Settings(builder);
		this.streams = new ClientStream.Shared(builder.clientQueueCapacity, this.counters, builder.deliveryListener,
				builder.clientListeners);
		this.encoder = new EventEncoder(builder.dataEncoder, builder.maxEventSize);
		this.relay = (builder.relay != null) ? builder.relay : new InProcessRelay();
		this.fanOut = new LocalFanOut(this.clients, new History(builder.historySize, builder.historyMaxAge.toNanos(),
				builder.historyMaxBytes),
				this::keepHistoryInTime, this.relay.catchUpTimeout());
		this.heartbeat = new Heartbeat(this.clients, builder.heartbeat, builder.writeTimeout, this.fanOut::expire);
		this.prelude = EventEncoder.prelude(builder.retry);
		// Closing waits for the streams' last writes as long as any one write may take.
		this.shutdown = new ShutdownSpread(builder.shutdownReconnectSpread, builder.writeTimeout);
		this.lastClientId = new AtomicLong(this.relay.clientIdOrigin());
		this.relay.start(this.fanOut);
	}

	/**
	 * Start configuring a broadcaster.
	 * @return a builder with default settings
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Register a client that receives what is broadcast to everyone.
	 * @return the client, already receiving events
	 * @see #connect(SseSubscription, String)
	 */
	public SseClient connect() {
		return connect(SseSubscription.everyone(), null);
	}

	/**
	 * Register a client. The caller must then call {@link SseClient#streamTo} on a thread
	 * of its own, typically the one serving the client's request.
	 * @param subscription the topics and user of the client
	 * @param lastEventId the id of the last event the client received on an earlier
	 * connection, or {@code null}: the events it missed since are replayed first
	 * @return the client, already receiving events
	 * @throws IllegalArgumentException if the subscription has more topics than allowed
	 * @throws TooManyClientsException if the maximum number of clients is connected
	 * @throws IllegalStateException if this broadcaster is closed
	 */
	public SseClient connect(SseSubscription subscription, @Nullable String lastEventId) {
		requireTopicLimit(subscription);
		OverflowPolicy overflow = this.settings.overflowFor(subscription);
		SseClient client = this.fanOut.register(subscription, lastEventId, (reset, missed) -> {
			requireRoom();
			byte[] prelude = reset ? concat(this.prelude, EventEncoder.reset("history-lost")) : this.prelude;
			long id = this.lastClientId.incrementAndGet();
			return new SseClient(id, subscription,
					new ClientStream(overflow, prelude, missed, this.streams, (reason) -> closed(id, reason)),
					this.deadlines);
		});
		this.heartbeat.ensureRunning();
		this.settings.lifetime.start(client, this.deadlines);
		return client;
	}

	/**
	 * Check that {@link #connect(SseSubscription, String)} would accept
	 * {@code subscription} now, without connecting: so that a request that only asks
	 * about a stream, such as {@code HEAD}, is refused as its stream would be.
	 * @param subscription the topics and user of the client
	 * @throws IllegalArgumentException if the subscription has more topics than allowed
	 * @throws TooManyClientsException if the maximum number of clients is connected
	 * @throws IllegalStateException if this broadcaster is closed
	 */
	public void checkConnect(SseSubscription subscription) {
		requireTopicLimit(subscription);
		requireRoom();
	}

	/**
	 * Send an unnamed event with {@code data} to every client.
	 * @param data a {@link String}, or an object for the {@link SseDataEncoder}
	 * @return the number of clients the event was queued for
	 * @see #broadcast(SseEvent)
	 */
	public int broadcast(Object data) {
		return broadcast(SseEvent.of(data));
	}

	/**
	 * Send {@code event} to every client, whatever its topics. Returns without waiting
	 * for any client.
	 * @param event the event
	 * @return the number of clients the event was queued for
	 * @throws IllegalArgumentException if the event cannot be encoded or is larger than
	 * allowed; nothing is sent then
	 * @throws SseRelayException if the relay cannot hand the event on; its subclass says
	 * whether the event may still be delivered
	 */
	public int broadcast(SseEvent event) {
		return publish(event, Audience.EVERYONE, "");
	}

	/**
	 * Send an unnamed event with {@code data} to the subscribers of {@code topic}.
	 * @param topic the topic
	 * @param data a {@link String}, or an object for the {@link SseDataEncoder}
	 * @return the number of clients the event was queued for
	 * @see #send(String, SseEvent)
	 */
	public int send(String topic, Object data) {
		return send(topic, SseEvent.of(data));
	}

	/**
	 * Send {@code event} to the subscribers of {@code topic}. Returns without waiting for
	 * any client.
	 * @param topic the topic
	 * @param event the event
	 * @return the number of clients the event was queued for
	 * @throws IllegalArgumentException if the topic name is invalid, or the event cannot
	 * be encoded or is larger than allowed; nothing is sent then
	 * @throws SseRelayException if the relay cannot hand the event on; its subclass says
	 * whether the event may still be delivered
	 */
	public int send(String topic, SseEvent event) {
		return publish(event, Audience.TOPIC, SseSubscription.requireValidTopic(topic));
	}

	/**
	 * Send {@code event} to every connection of {@code user}, for example each of their
	 * browser tabs. The event is not kept for replay.
	 * @param user the user's name, as the request's principal gave it
	 * @param event the event
	 * @return the number of connections on this instance the event was queued for (with
	 * a shared relay: that match it now)
	 * @throws SseRelayException if the relay cannot hand the event on
	 */
	public int sendToUser(String user, SseEvent event) {
		if (user == null) {
			throw new IllegalArgumentException("user must not be null");
		}
		return publish(event, Audience.USER, user);
	}

	/**
	 * Send {@code event} to one connection. The event is not kept for replay.
	 * @param clientId the connection's {@link SseClient#id()}
	 * @param event the event
	 * @return whether the client is connected to this instance and the event was queued
	 * (with a shared relay the event reaches the client on whichever instance it is)
	 * @throws SseRelayException if the relay cannot hand the event on
	 */
	public boolean sendToClient(long clientId, SseEvent event) {
		return publish(event, Audience.CLIENT, Long.toString(clientId)) == 1;
	}

	/**
	 * End the stream of one client, on whichever instance it is: it closes with
	 * {@link DisconnectReason#REVOKED}, without writing what is still queued for it. Its
	 * browser reconnects, and is authenticated anew.
	 * @param clientId the connection's {@link SseClient#id()}
	 * @return whether the client is connected to this instance (with a shared relay:
	 * whether it is now)
	 * @throws SseRelayException if the relay cannot hand the command on
	 */
	public boolean disconnect(long clientId) {
		return command(Audience.DISCONNECT_CLIENT, Long.toString(clientId)) == 1;
	}

	/**
	 * End every stream of {@code user}, on every instance, for example when their
	 * account is disabled or their password changed: each closes with
	 * {@link DisconnectReason#REVOKED}. Their browsers reconnect, and are authenticated
	 * anew.
	 * @param user the user's name, as the request's principal gave it
	 * @return the number of its streams on this instance (with a shared relay: that
	 * match it now)
	 * @throws SseRelayException if the relay cannot hand the command on
	 */
	public int disconnectUser(String user) {
		if (user == null) {
			throw new IllegalArgumentException("user must not be null");
		}
		return command(Audience.DISCONNECT_USER, user);
	}

	/**
	 * The number of connected clients.
	 * @return the client count
	 */
	public int clientCount() {
		return this.clients.size();
	}

	/**
	 * The number of connected clients subscribed to {@code topic}.
	 * @param topic the topic
	 * @return the subscriber count
	 */
	public int subscriberCount(String topic) {
		return this.clients.subscribers(topic).size();
	}

	/**
	 * The connected clients, for inspection.
	 * @return a snapshot of the clients
	 */
	public List<SseClient> clients() {
		return this.clients.snapshot();
	}

	/**
	 * What this broadcaster has done so far.
	 * @return a snapshot of its counters
	 */
	public SseStatistics statistics() {
		return this.counters.snapshot(this.clients.size());
	}

	/**
	 * Close every connected client; their streams end and browsers reconnect. New
	 * clients may still connect.
	 */
	public void disconnectAll() {
		disconnectAll(DisconnectReason.CLOSED);
	}

	/**
	 * Close every client and refuse new ones, for example on shutdown. Idempotent.
	 * <p>
	 * With a {@link Builder#shutdownReconnectSpread shutdown reconnect spread}, each
	 * stream first writes what is queued for it and a {@code retry} delay of its own
	 * within the spread, so that browsers reconnect (elsewhere) spread over it; this
	 * waits until every stream has done so, for no longer than the
	 * {@link Builder#writeTimeout write timeout}, then closes whoever is left at once.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.relay.stop();
		this.heartbeat.stop();
		this.deadlines.stop();
		this.shutdown.endAll(this.clients);
		disconnectAll(DisconnectReason.SHUTDOWN);
	}

	/**
	 * Whether {@link #close()} has been called.
	 * @return {@code true} once closed
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Encode on the publishing thread, then let the relay number and fan out.
	 */
	private int publish(SseEvent event, Audience audience, String target) {
		if (event == null) {
			throw new IllegalArgumentException("event must not be null");
		}
		byte[] frame = this.encoder.encode(event);
		int queued = this.relay.publish(new RelayedEvent(audience, target, event.id(), frame, System.nanoTime()));
		this.counters.published.increment();
		return queued;
	}

	/**
	 * A command travels the relay like an event, so that it reaches every instance in
	 * order with the events around it.
	 */
	private int command(Audience audience, String target) {
		return this.relay.publish(new RelayedEvent(audience, target, null, NO_FRAME, System.nanoTime()));
	}

	/** How many clients have a deadline; for tests. */
	int deadlineCount() {
		return this.deadlines.size();
	}

	/** How many channels the history keeps events for; for tests. */
	int keptChannels() {
		return this.fanOut.keptChannels();
	}

	private void keepHistoryInTime() {
		this.heartbeat.ensureRunning();
	}

	private void closed(long clientId, DisconnectReason reason) {
		this.clients.remove(clientId);
		this.deadlines.cancel(clientId);
		this.counters.disconnected(reason);
	}

	private void disconnectAll(DisconnectReason reason) {
		for (SseClient client : this.clients.all()) {
			client.close(reason);
		}
	}

	private void requireTopicLimit(SseSubscription subscription) {
		if (subscription.topics().size() > this.settings.maxTopicsPerClient) {
			throw new IllegalArgumentException("At most " + this.settings.maxTopicsPerClient
					+ " topics per client are allowed, but " + subscription.topics().size() + " were requested");
		}
	}

	private void requireRoom() {
		if (this.closed) {
			throw new IllegalStateException("SseBroadcaster is closed");
		}
		if (this.settings.maxClients >= 0 && this.clients.size() >= this.settings.maxClients) {
			throw new TooManyClientsException(this.settings.maxClients);
		}
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	/**
	 * Thrown by {@link #connect} when the maximum number of clients is connected.
	 */
	public static final class TooManyClientsException extends IllegalStateException {

		TooManyClientsException(int maxClients) {
			super("The maximum of " + maxClients + " clients is connected");
		}

	}

	/**
	 * Configures an {@link SseBroadcaster}. Every setting has a default.
	 */
	public static final class Builder {

		/** The default {@link #clientQueueCapacity(int) client queue capacity}. */
		public static final int DEFAULT_CLIENT_QUEUE_CAPACITY = 128;

		/** The default {@link #heartbeat(Duration) heartbeat} period: 10 seconds. */
		public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);

		/** The default {@link #writeTimeout(Duration) write timeout}: 10 seconds. */
		public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);

		/** The default {@link #maxEventSize(int) largest event}, in bytes: 1 MiB. */
		public static final int DEFAULT_MAX_EVENT_SIZE = 1024 * 1024;

		/** The default {@link #maxClients(int) client limit}: none. */
		public static final int DEFAULT_MAX_CLIENTS = -1;

		/** The default {@link #maxTopicsPerClient(int) topic limit} of a client. */
		public static final int DEFAULT_MAX_TOPICS_PER_CLIENT = 16;

		/** The default {@link #overflow(OverflowPolicy) overflow policy}: disconnect. */
		public static final OverflowPolicy DEFAULT_OVERFLOW = OverflowPolicy.DISCONNECT;

		/** The default {@link #historySize(int) history size} per topic. */
		public static final int DEFAULT_HISTORY_SIZE = 100;

		/** The default {@link #historyMaxAge(Duration) age} up to which events are kept: 5 minutes. */
		public static final Duration DEFAULT_HISTORY_MAX_AGE = Duration.ofMinutes(5);

		/**
		 * The default {@link #shutdownReconnectSpread(Duration) window} over which clients
		 * reconnect after a close: 10 seconds.
		 */
		public static final Duration DEFAULT_SHUTDOWN_RECONNECT_SPREAD = Duration.ofSeconds(10);

		/** The default {@link #historyMaxBytes(long) total size} of the history: 64 MiB. */
		public static final long DEFAULT_HISTORY_MAX_BYTES = 64L * 1024 * 1024;

		private int clientQueueCapacity = DEFAULT_CLIENT_QUEUE_CAPACITY;

		private Duration heartbeat = DEFAULT_HEARTBEAT;

		private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;

		private @Nullable Duration retry;

		private int maxEventSize = DEFAULT_MAX_EVENT_SIZE;

		private int maxClients = DEFAULT_MAX_CLIENTS;

		private int maxTopicsPerClient = DEFAULT_MAX_TOPICS_PER_CLIENT;

		private OverflowPolicy overflow = DEFAULT_OVERFLOW;

		private final Map<String, OverflowPolicy> topicOverflow = new HashMap<>();

		private int historySize = DEFAULT_HISTORY_SIZE;

		private Duration historyMaxAge = DEFAULT_HISTORY_MAX_AGE;

		private long historyMaxBytes = DEFAULT_HISTORY_MAX_BYTES;

		private @Nullable Duration maxConnectionLifetime;

		private Duration shutdownReconnectSpread = DEFAULT_SHUTDOWN_RECONNECT_SPREAD;

		private SseDataEncoder dataEncoder = SseDataEncoder.TEXT_ONLY;

		private SseDeliveryListener deliveryListener = (lagNanos) -> {
		};

		private ClientListeners clientListeners = ClientListeners.NONE;

		private @Nullable SseRelay relay;

		private Builder() {
		}

		/**
		 * How many events may wait for one client before its overflow policy applies.
		 * Default {@value #DEFAULT_CLIENT_QUEUE_CAPACITY}.
		 * @param capacity at least 1
		 * @return this builder
		 */
		public Builder clientQueueCapacity(int capacity) {
			require(capacity >= 1, "clientQueueCapacity must be at least 1, but was " + capacity);
			this.clientQueueCapacity = capacity;
			return this;
		}

		/**
		 * The longest a client's stream stays silent: an idle stream is sent a
		 * heartbeat comment within this period, and a connection the client closed is
		 * found and dropped within one and a quarter periods. Default
		 * {@link #DEFAULT_HEARTBEAT}.
		 * @param heartbeat positive
		 * @return this builder
		 */
		public Builder heartbeat(Duration heartbeat) {
			require(isPositive(heartbeat), "heartbeat must be positive, but was " + heartbeat);
			this.heartbeat = heartbeat;
			return this;
		}

		/**
		 * The longest one write to a client may take (an event, or a heartbeat) before
		 * the client is disconnected with {@link DisconnectReason#WRITE_ERROR} and its
		 * connection closed: a client that stopped reading would otherwise hold its
		 * thread and connection until the server's own timeout. Checked every quarter of
		 * this or of the heartbeat period, whichever is shorter. Default
		 * {@link #DEFAULT_WRITE_TIMEOUT}.
		 * @param writeTimeout positive
		 * @return this builder
		 */
		public Builder writeTimeout(Duration writeTimeout) {
			require(isPositive(writeTimeout), "writeTimeout must be positive, but was " + writeTimeout);
			this.writeTimeout = writeTimeout;
			return this;
		}

		/**
		 * The reconnection delay sent to each client when it connects. Default none:
		 * browsers use their own (a few seconds).
		 * @param retry positive, or {@code null}
		 * @return this builder
		 */
		public Builder retry(@Nullable Duration retry) {
			require(retry == null || isPositive(retry), "retry must be positive, but was " + retry);
			this.retry = retry;
			return this;
		}

		/**
		 * The largest encoded event accepted; larger ones are rejected when sent.
		 * Default {@value #DEFAULT_MAX_EVENT_SIZE} bytes (1 MiB).
		 * @param bytes at least 1
		 * @return this builder
		 */
		public Builder maxEventSize(int bytes) {
			require(bytes >= 1, "maxEventSize must be at least 1 byte, but was " + bytes);
			this.maxEventSize = bytes;
			return this;
		}

		/**
		 * How many clients may be connected at once. Default
		 * {@value #DEFAULT_MAX_CLIENTS}, no limit. A client counts from
		 * {@link SseBroadcaster#connect} until it is closed: by the application, or when
		 * its stream finds the connection gone (at the latest one and a quarter heartbeat
		 * periods after the client left). 0 is refused, as it would refuse every client.
		 * @param maxClients at least 1, or -1 for no limit
		 * @return this builder
		 */
		public Builder maxClients(int maxClients) {
			require(maxClients >= 1 || maxClients == -1,
					"maxClients must be at least 1, or -1 for no limit, but was " + maxClients);
			this.maxClients = maxClients;
			return this;
		}

		/**
		 * How many topics one client may subscribe to. Default
		 * {@value #DEFAULT_MAX_TOPICS_PER_CLIENT}.
		 * @param maxTopics at least 1
		 * @return this builder
		 */
		public Builder maxTopicsPerClient(int maxTopics) {
			require(maxTopics >= 1, "maxTopicsPerClient must be at least 1, but was " + maxTopics);
			this.maxTopicsPerClient = maxTopics;
			return this;
		}

		/**
		 * The overflow policy of clients whose subscription and topics set none.
		 * Default {@link #DEFAULT_OVERFLOW}.
		 * @param overflow the policy
		 * @return this builder
		 */
		public Builder overflow(OverflowPolicy overflow) {
			require(overflow != null, "overflow must not be null");
			this.overflow = overflow;
			return this;
		}

		/**
		 * The overflow policy of the subscribers of {@code topic}. When a client's
		 * topics disagree, the first of {@code DISCONNECT}, {@code DROP_NEWEST},
		 * {@code DROP_OLDEST} among them applies.
		 * @param topic the topic
		 * @param overflow the policy
		 * @return this builder
		 */
		public Builder overflow(String topic, OverflowPolicy overflow) {
			require(overflow != null, "overflow must not be null");
			this.topicOverflow.put(SseSubscription.requireValidTopic(topic), overflow);
			return this;
		}

		/**
		 * How many events to keep per topic (and for broadcasts) for replay; 0 keeps none.
		 * Default {@value #DEFAULT_HISTORY_SIZE}.
		 * @param size at least 0
		 * @return this builder
		 */
		public Builder historySize(int size) {
			require(size >= 0, "historySize must be at least 0, but was " + size);
			this.historySize = size;
			return this;
		}

		/**
		 * How long to keep events for replay. Default {@link #DEFAULT_HISTORY_MAX_AGE}.
		 * @param maxAge positive
		 * @return this builder
		 */
		public Builder historyMaxAge(Duration maxAge) {
			require(isPositive(maxAge), "historyMaxAge must be positive, but was " + maxAge);
			this.historyMaxAge = maxAge;
			return this;
		}

		/**
		 * How many bytes the history of all topics together may hold: past this, the
		 * oldest events of all are evicted first, and a client that missed one gets
		 * {@link SseBroadcaster#RESET_EVENT} instead of a replay. Each event counts its
		 * encoded size and 512 bytes more for what keeping it takes. Without this bound,
		 * events published to ever new topics would fill the heap within the
		 * {@link #historyMaxAge(Duration) maximum age}. Default
		 * {@value #DEFAULT_HISTORY_MAX_BYTES} (64 MiB).
		 * @param bytes at least 1
		 * @return this builder
		 */
		public Builder historyMaxBytes(long bytes) {
			require(bytes >= 1, "historyMaxBytes must be at least 1 byte, but was " + bytes);
			this.historyMaxBytes = bytes;
			return this;
		}

		/**
		 * How long a stream may last. Each stream ends after a lifetime drawn at random
		 * between three quarters of this and this, so that the reconnects of streams
		 * opened together spread out; it first writes what is queued, then a
		 * {@code retry} field (the {@link #retry(Duration) retry} delay, or 1 second),
		 * and its browser reconnects with the id of the last event it got: it misses
		 * nothing that the history still holds. This makes long-lived clients
		 * authenticate again, and lets them move to instances that joined since. Default
		 * none: streams last until the client or the application ends them.
		 * @param lifetime positive, or {@code null} for none
		 * @return this builder
		 */
		public Builder maxConnectionLifetime(@Nullable Duration lifetime) {
			require(lifetime == null || isPositive(lifetime), "maxConnectionLifetime must be positive, but was "
					+ lifetime);
			this.maxConnectionLifetime = lifetime;
			return this;
		}

		/**
		 * The window over which the clients reconnect when the broadcaster
		 * {@link SseBroadcaster#close() closes}, as on a graceful shutdown. Each open
		 * stream writes what is queued for it, then a {@code retry} field with a delay
		 * drawn at random below this, and ends; its browser reconnects after that delay
		 * with the id of the last event it got, so that the clients of an instance that
		 * stops reach the other instances spread over this window instead of all at once,
		 * and miss nothing the history still holds. Zero ends every stream at once
		 * without a {@code retry}: browsers reconnect after their own delay. Default
		 * {@link #DEFAULT_SHUTDOWN_RECONNECT_SPREAD}.
		 * @param spread zero, or at least one millisecond
		 * @return this builder
		 */
		public Builder shutdownReconnectSpread(Duration spread) {
			require(spread != null && (spread.isZero() || spread.compareTo(Duration.ofMillis(1)) >= 0),
					"shutdownReconnectSpread must be zero or at least 1ms, but was " + spread);
			this.shutdownReconnectSpread = spread;
			return this;
		}

		/**
		 * How to turn data that is not a {@link String} into text. Default: reject it.
		 * @param dataEncoder the encoder
		 * @return this builder
		 */
		public Builder dataEncoder(SseDataEncoder dataEncoder) {
			require(dataEncoder != null, "dataEncoder must not be null");
			this.dataEncoder = dataEncoder;
			return this;
		}

		/**
		 * What to tell about each event written to a client. Default: nothing.
		 * @param deliveryListener the listener
		 * @return this builder
		 */
		public Builder deliveryListener(SseDeliveryListener deliveryListener) {
			require(deliveryListener != null, "deliveryListener must not be null");
			this.deliveryListener = deliveryListener;
			return this;
		}

		/**
		 * Add a listener told when each client's stream starts and ends; listeners are
		 * told in the order they were added. Default: none.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder clientListener(SseClientListener listener) {
			require(listener != null, "clientListener must not be null");
			this.clientListeners = this.clientListeners.with(listener);
			return this;
		}

		/**
		 * How events reach the fan-out of this and any other instance. Default: an
		 * {@link InProcessRelay}, which delivers on the publishing thread to this
		 * instance only.
		 * @param relay the relay, started when the broadcaster is built
		 * @return this builder
		 */
		public Builder relay(SseRelay relay) {
			require(relay != null, "relay must not be null");
			this.relay = relay;
			return this;
		}

		/**
		 * Create the broadcaster.
		 * @return a new broadcaster
		 */
		public SseBroadcaster build() {
			return new SseBroadcaster(this);
		}

		private static boolean isPositive(@Nullable Duration duration) {
			return duration != null && !duration.isNegative() && !duration.isZero();
		}

		private static void require(boolean condition, String message) {
			if (!condition) {
				throw new IllegalArgumentException(message);
			}
		}

	}

	/**
	 * The settings a broadcaster reads after it is built.
	 */
	private static final class Settings {

		// Strictest first: disconnecting loses nothing within the history.
		private static final List<OverflowPolicy> STRICTNESS = List.of(OverflowPolicy.DISCONNECT,
				OverflowPolicy.DROP_NEWEST, OverflowPolicy.DROP_OLDEST);

		final int maxClients;

		final int maxTopicsPerClient;

		final OverflowPolicy overflow;

		final Map<String, OverflowPolicy> topicOverflow;

		final Lifetime lifetime;

		Settings(Builder builder) {
			this.maxClients = builder.maxClients;
			this.maxTopicsPerClient = builder.maxTopicsPerClient;
			this.overflow = builder.overflow;
			this.topicOverflow = Map.copyOf(builder.topicOverflow);
			this.lifetime = new Lifetime(builder.maxConnectionLifetime,
					(builder.retry != null) ? builder.retry : LIFETIME_RETRY);
		}

		OverflowPolicy overflowFor(SseSubscription subscription) {
			if (subscription.overflow() != null) {
				return subscription.overflow();
			}
			// Asked on every connect: a plain loop, which allocates nothing.
			OverflowPolicy strictest = null;
			for (String topic : subscription.topics()) {
				OverflowPolicy policy = this.topicOverflow.get(topic);
				if (policy != null && (strictest == null || stricter(policy, strictest))) {
					strictest = policy;
				}
			}
			return (strictest != null) ? strictest : this.overflow;
		}

		private static boolean stricter(OverflowPolicy policy, OverflowPolicy than) {
			return STRICTNESS.indexOf(policy) < STRICTNESS.indexOf(than);
		}

	}

}
