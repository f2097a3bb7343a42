package dev.ssebroadcast;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.ssebroadcast.relay.Position;
import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.SseFanOut;
import org.jspecify.annotations.Nullable;

/**
 * This instance's end of the relay: numbers each event with the id its position gives,
 * keeps it for replay and offers the same bytes to every matching client's queue. Also
 * registers clients, together with their replay.
 */
final class LocalFanOut implements SseFanOut {

	private static final byte[] RESET = EventEncoder.reset("history-lost");

	// Held while an event is kept and fanned out, and while a client is registered with
	// its replay: so a replay meets the live events with no gap and no duplicate.
	private final ReentrantLock order = new ReentrantLock();

	// Signalled on each delivery while a reconnecting client waits for this instance to
	// catch up with the one it came from.
	private final Condition advanced = this.order.newCondition();

	private final ClientRegistry clients;

	private final History history;

	private final Runnable onKept;

	private final long catchUpNanos;

	private @Nullable Position position;

	private int waiting;

	/**
	 * @param onKept called after an event is kept for replay, so that it is expired in
	 * time
	 * @param catchUp how long a client that resumes from an event not delivered here yet
	 * waits for it; see {@link dev.ssebroadcast.relay.SseRelay#catchUpTimeout()}
	 */
	LocalFanOut(ClientRegistry clients, History history, Runnable onKept, Duration catchUp) {
		this.clients = clients;
		this.history = history;
		this.onKept = onKept;
		this.catchUpNanos = catchUp.toNanos();
	}

	@Override
	public int deliver(RelayedEvent event, Position position) {
		this.order.lock();
		try {
			Position last = this.position;
			if (position.sequence() == 0) {
				throw new IllegalArgumentException("Events are numbered from 1, but got " + position);
			}
			if (last == null) {
				// What came before the first delivery is not known here.
				this.history.lose(before(position));
			}
			else if (!last.epoch().equals(position.epoch()) || position.sequence() > last.sequence() + 1) {
				lostLocked(before(position));
			}
			else if (position.sequence() <= last.sequence()) {
				return 0;
			}
			this.position = position;
			this.history.advance(position);
			if (this.waiting > 0) {
				this.advanced.signalAll();
			}
			EncodedEvent encoded = encode(event, position);
			if (event.isReplayable()) {
				this.history.append(channelOf(event), encoded);
			}
			int queued = 0;
			boolean disconnect = event.isDisconnect();
			for (SseClient client : recipientsOf(event)) {
				if (disconnect ? client.revoke() : client.offerLive(encoded)) {
					queued++;
				}
			}
			return queued;
		}
		finally {
			this.order.unlock();
			if (event.isReplayable()) {
				this.onKept.run();
			}
		}
	}

	@Override
	public void lost(Position position) {
		this.order.lock();
		try {
			lostLocked(position);
			this.position = position;
		}
		finally {
			this.order.unlock();
		}
	}

	@Override
	public int recipients(RelayedEvent event) {
		return recipientsOf(event).size();
	}

	/**
	 * Register a client made by {@code factory}, handing it what it missed since
	 * {@code lastEventId}, atomically with respect to deliveries.
	 */
	SseClient register(SseSubscription subscription, @Nullable String lastEventId, ClientFactory factory) {
		this.order.lock();
		try {
			if (lastEventId != null) {
				awaitDelivered(lastEventId);
			}
			List<EncodedEvent> missed = List.of();
			boolean reset = false;
			long ahead = -1;
			if (lastEventId != null) {
				List<EncodedEvent> kept = this.history.after(lastEventId, channelsOf(subscription), System.nanoTime());
				ahead = (kept == null) ? passOverUntil(lastEventId) : -1;
				reset = (kept == null && ahead < 0);
				missed = (kept != null) ? kept : List.of();
			}
			SseClient client = factory.create(reset, missed);
			if (ahead >= 0) {
				client.receivedThrough(ahead);
			}
			this.clients.add(client);
			return client;
		}
		finally {
			this.order.unlock();
		}
	}

	/**
	 * Let the history drop what has aged, even when nothing is published.
	 * @return whether any event is still kept
	 */
	boolean expire(long nowNanos) {
		this.order.lock();
		try {
			this.history.expire(nowNanos);
			return this.history.channelCount() > 0;
		}
		finally {
			this.order.unlock();
		}
	}

	int keptChannels() {
		this.order.lock();
		try {
			return this.history.channelCount();
		}
		finally {
			this.order.unlock();
		}
	}

	/**
	 * Wait, for at most the catch-up time, until the event that {@code lastEventId}
	 * generated for names has been delivered here: with a shared relay, the client may
	 * come from an instance that is a little ahead of this one.
	 */
	private void awaitDelivered(String lastEventId) {
		long remaining = this.catchUpNanos;
		this.waiting++;
		try {
			while (remaining > 0 && isAhead(lastEventId)) {
				remaining = this.advanced.awaitNanos(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.waiting--;
		}
	}

	private boolean isAhead(String lastEventId) {
		return aheadOf(lastEventId) >= 0;
	}

	/**
	 * The sequence {@code id} names if, still ahead after the wait, the client had every
	 * event up to it on the instance it came from, so that this one passes over them
	 * rather than reset it; else -1. Without a shared relay there is no such instance,
	 * and an id further ahead than the history keeps is not taken on trust: it could
	 * silence the client for as long as it likes.
	 */
	private long passOverUntil(String id) {
		Position last = this.position;
		long sequence = aheadOf(id);
		boolean near = last != null && sequence - last.sequence() <= this.history.size();
		return (this.catchUpNanos > 0 && sequence >= 0 && near) ? sequence : -1;
	}

	/** The sequence {@code id} names in this epoch if not delivered here yet, else -1. */
	private long aheadOf(String id) {
		Position last = this.position;
		long sequence = (last != null) ? last.sequenceOf(id) : -1;
		return (last != null && sequence > last.sequence()) ? sequence : -1;
	}

	private void lostLocked(Position position) {
		this.history.lose(position);
		// Carries the id from which a later reconnect can resume.
		EncodedEvent reset = new EncodedEvent(position.sequence(), null,
				EventEncoder.withGeneratedId(position.id(), RESET), System.nanoTime());
		for (SseClient client : this.clients.all()) {
			client.forgetReceived();
			client.offer(reset);
		}
	}

	private static Position before(Position position) {
		return new Position(position.epoch(), position.sequence() - 1);
	}

	private static EncodedEvent encode(RelayedEvent event, Position position) {
		if (event.id() != null || !event.isReplayable()) {
			return new EncodedEvent(position.sequence(), event.id(), event.frame(), event.publishedNanos());
		}
		String id = position.id();
		return new EncodedEvent(position.sequence(), id, EventEncoder.withGeneratedId(id, event.frame()),
				event.publishedNanos());
	}

	private Collection<SseClient> recipientsOf(RelayedEvent event) {
		return switch (event.audience()) {
			case EVERYONE -> this.clients.all();
			case TOPIC -> this.clients.subscribers(event.target());
			case USER, DISCONNECT_USER -> this.clients.connectionsOf(event.target());
			case CLIENT, DISCONNECT_CLIENT -> client(event.target());
		};
	}

	private Collection<SseClient> client(String id) {
		try {
			SseClient client = this.clients.get(Long.parseLong(id));
			return (client != null) ? List.of(client) : List.of();
		}
		catch (NumberFormatException ex) {
			return List.of();
		}
	}

	private static String channelOf(RelayedEvent event) {
		return (event.audience() == RelayedEvent.Audience.EVERYONE) ? History.EVERYONE : event.target();
	}

	private static Set<String> channelsOf(SseSubscription subscription) {
		Set<String> channels = new HashSet<>(subscription.topics());
		channels.add(History.EVERYONE);
		return channels;
	}

	/**
	 * Makes the client being registered, under the lock that orders events.
	 */
	@FunctionalInterface
	interface ClientFactory {

		/**
		 * @param reset whether the client asked for a replay that cannot be given
		 * @param missed the events it missed, in order
		 */
		SseClient create(boolean reset, List<EncodedEvent> missed);

	}

}
