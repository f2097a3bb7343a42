package dev.ssebroadcast.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.ssebroadcast.redis.AcknowledgedPosition.Acknowledged;
import dev.ssebroadcast.relay.Position;
import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.RelayedEvent.Audience;
import io.lettuce.core.StreamMessage;
import org.jspecify.annotations.Nullable;

/**
 * What the relay keeps in Redis and how, in one place: the keys, the scripts that change
 * them, and the parsing and checking of everything read back. Nothing read from Redis is
 * used before it passes through here, because an operator, a restore or a failover can
 * leave anything there.
 * <p>
 * All keys share the prefix in braces, a Redis Cluster hash tag, so that they live in
 * one slot and one script can touch them together:
 * <ul>
 * <li>{@code {prefix}:events}, a stream with one entry per event. Fields have one-letter
 * names: {@code e} epoch, {@code s} sequence, {@code a} audience (one digit), {@code t}
 * target, {@code i} the application's id (absent when it gave none), {@code f} the
 * encoded frame and {@code p} when it was published, in microseconds since the Unix
 * epoch;</li>
 * <li>{@code {prefix}:position}, a hash of the {@code epoch} in force and the last
 * {@code sequence} given out in it;</li>
 * <li>{@code {prefix}:ids}, a sorted set of the application ids of the events the stream
 * retains, by audience and target, so that a retried publish is appended at most
 * once;</li>
 * <li>{@code {prefix}:node:<n>}, the lease of the instance that numbers its clients
 * from node number n.</li>
 * </ul>
 * The scripts repair what they find invalid (a position that is not an epoch of letters
 * and digits and a sequence of at most 18 digits, a key of the wrong type) by starting a
 * new epoch, and say what they found, so that it is logged once and every instance
 * resets its clients.
 */
final class WireFormat {

	/** The stream id before every entry. */
	static final String START = "0-0";

	// Checks and repairs shared by the scripts. A key of another type is deleted: it is
	// the relay's key, and an error on every publish would be an outage. An entry is gone
	// when the stream lacks it but still reaches back to it: trimming only removes the
	// oldest entries, so Redis lost it (or someone deleted it).
	private static final String CHECKS = """
			local function own(key, expected)
				local found = redis.call('TYPE', key)['ok']
				if found ~= 'none' and found ~= expected then
					redis.call('DEL', key)
					return key .. ' was a ' .. found .. ', not a ' .. expected .. '; '
				end
				return ''
			end
			local function valid(epoch, sequence)
				return epoch and sequence and #epoch <= 16 and string.find(epoch, '^%w+$') ~= nil
					and #sequence <= 18 and string.find(sequence, '^%d+$') ~= nil
			end
			local function position(key, newEpoch, replaced)
				local found = own(key, 'hash')
				local state = redis.call('HMGET', key, 'epoch', 'sequence')
				local ok = valid(state[1], state[2])
				if ok and state[1] ~= replaced then
					return state[1], state[2], found
				end
				if (state[1] or state[2]) and not ok then
					found = found .. 'epoch ' .. tostring(state[1]) .. ' and sequence ' .. tostring(state[2])
						.. ' are not a position; '
				end
				redis.call('HSET', key, 'epoch', newEpoch, 'sequence', 0)
				return newEpoch, '0', found
			end
			local function gone(key, id)
				if id == '' then
					return false
				end
				local at = redis.call('XREVRANGE', key, id, '-', 'COUNT', 1)[1]
				return at ~= nil and at[1] ~= id
			end
			""";

	/**
	 * Number and append a batch of events in order, each unless one with its id, audience
	 * and target is retained (or came earlier in the batch). KEYS: position, events, ids.
	 * ARGV: an epoch to start if there is no valid one, the stream's maximum length, its
	 * maximum age in milliseconds (0 for none), the epoch, sequence and stream id of the
	 * event last acknowledged to this publisher (empty, 0 and empty for none); then five
	 * for each event: audience, target, frame, publishing time, and the application's id
	 * after one byte, or empty if it gave none. A position behind that acknowledged
	 * event, or that event gone, means Redis lost acknowledged writes (a failover to a
	 * replica that lagged), and other publishers may have been given their numbers: a
	 * new epoch starts, so that clients are reset. Returns what was repaired and the
	 * epoch, then for each event its sequence number (0 if it was appended before) and
	 * its entry's id (empty if none was appended). One call for many events pays the
	 * fixed cost of calling a script once.
	 */
	static final RelayScript PUBLISH = RelayScript.of(CHECKS + """
			local found = own(KEYS[2], 'stream') .. own(KEYS[3], 'zset')
			local epoch, sequence, repaired = position(KEYS[1], ARGV[1], '')
			found = found .. repaired
			if epoch == ARGV[4] then
				local lost
				if tonumber(sequence) < tonumber(ARGV[5]) then
					lost = 'sequence ' .. sequence .. ' of epoch ' .. epoch .. ' is behind ' .. ARGV[5]
						.. ' acknowledged before; '
				elseif gone(KEYS[2], ARGV[6]) then
					lost = 'entry ' .. ARGV[6] .. ' (' .. epoch .. '-' .. ARGV[5] .. '), acknowledged before, is gone; '
				end
				if lost then
					found = found .. lost
					epoch = ARGV[1]
					redis.call('HSET', KEYS[1], 'epoch', epoch, 'sequence', 0)
				end
			end
			local reply = {found, epoch}
			local millis
			for i = 7, #ARGV, 5 do
				local audience, target, frame, published = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
				local id, member
				if ARGV[i + 4] ~= '' then
					id = string.sub(ARGV[i + 4], 2)
					member = audience .. #target .. ':' .. target .. id
				end
				if member and redis.call('ZSCORE', KEYS[3], member) then
					reply[#reply + 1] = 0
					reply[#reply + 1] = ''
				else
					sequence = redis.call('HINCRBY', KEYS[1], 'sequence', 1)
					local entry
					if member then
						entry = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'e', epoch, 's', sequence,
							'a', audience, 't', target, 'p', published, 'f', frame, 'i', id)
					else
						entry = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'e', epoch, 's', sequence,
							'a', audience, 't', target, 'p', published, 'f', frame)
					end
					millis = tonumber(string.match(entry, '^(%d+)'))
					if member then
						redis.call('ZADD', KEYS[3], millis, member)
					end
					reply[#reply + 1] = sequence
					reply[#reply + 1] = entry
				end
			end
			if millis then
				local maxAge = tonumber(ARGV[3])
				if maxAge > 0 then
					redis.call('XTRIM', KEYS[2], 'MINID', '~', string.format('%d', millis - maxAge))
				end
				if redis.call('EXISTS', KEYS[3]) == 1 then
					local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
					local firstMillis = tonumber(string.match(first[1], '^(%d+)'))
					redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. string.format('%d', firstMillis))
				end
			end
			return reply
			""");

	/**
	 * The position in force and the stream's last entry, read together so that every
	 * entry after that one follows the position. KEYS: position, events. ARGV: an epoch
	 * to start if there is no valid one, an epoch to replace by it (empty for none), and
	 * the epoch and stream id of the event last acknowledged to this instance (empty for
	 * none). Returns epoch, sequence, the last entry's id (empty if none), what was
	 * repaired, and that acknowledged entry's id if it is gone in the epoch in force
	 * (else empty).
	 */
	static final RelayScript POSITION = RelayScript.of(CHECKS + """
			local found = own(KEYS[2], 'stream')
			local epoch, sequence, repaired = position(KEYS[1], ARGV[1], ARGV[2])
			local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
			local lost = (epoch == ARGV[3] and gone(KEYS[2], ARGV[4])) and ARGV[4] or ''
			return {epoch, sequence, last and last[1] or '', found .. repaired, lost}
			""");

	/**
	 * The entries after an id, stopping at a count or once their values reach a number
	 * of bytes, whichever comes first, and never fewer than one if there is one: so that
	 * a reader far behind large events always makes progress with bounded memory. KEYS:
	 * events. ARGV: the id after which to read, the count, the bytes.
	 */
	static final RelayScript READ = RelayScript.of("""
			local entries = {}
			local bytes = 0
			local after = ARGV[1]
			local count = tonumber(ARGV[2])
			local limit = tonumber(ARGV[3])
			while #entries < count and bytes < limit do
				local chunk = redis.call('XRANGE', KEYS[1], '(' .. after, '+', 'COUNT', math.min(16, count - #entries))
				if #chunk == 0 then
					break
				end
				for _, entry in ipairs(chunk) do
					if bytes >= limit then
						break
					end
					entries[#entries + 1] = entry
					for _, value in ipairs(entry[2]) do
						bytes = bytes + #value
					end
					after = entry[1]
				end
			end
			return entries
			""");

	/**
	 * Hold or renew the lease of a node number. KEYS: the node's key. ARGV: this
	 * instance's token, the lease in milliseconds. Returns 1 if this instance holds it, 0
	 * if another does.
	 */
	static final RelayScript CLAIM = RelayScript.of("""
			local holder = redis.call('GET', KEYS[1])
			if holder and holder ~= ARGV[1] then
				return 0
			end
			redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
			return 1
			""");

	private static final Audience[] AUDIENCES = Audience.values();

	private static final int MAX_SEQUENCE_DIGITS = 18;

	private static final int PUBLISH_HEADER = 6;

	private static final int PUBLISH_PER_EVENT = 5;

	private static final byte[] NO_ID = {};

	private final String events;

	private final byte[][] publishKeys;

	private final byte[][] positionKeys;

	private final String nodePrefix;

	/**
	 * @param prefix the prefix of every key, without braces
	 */
	WireFormat(String prefix) {
		String tag = "{" + prefix + "}:";
		this.events = tag + "events";
		this.publishKeys = new byte[][] { bytes(tag + "position"), bytes(this.events), bytes(tag + "ids") };
		this.positionKeys = new byte[][] { this.publishKeys[0], this.publishKeys[1] };
		this.nodePrefix = tag + "node:";
	}

	/** The stream's key, for messages. */
	String events() {
		return this.events;
	}

	byte[] eventsKey() {
		return this.publishKeys[1];
	}

	byte[][] publishKeys() {
		return this.publishKeys;
	}

	byte[][] positionKeys() {
		return this.positionKeys;
	}

	byte[][] nodeKeys(long node) {
		return new byte[][] { bytes(this.nodePrefix + node) };
	}

	/**
	 * The arguments of {@link #PUBLISH} for {@code events}, in order.
	 * @param nowMicros the time now, in microseconds since the Unix epoch
	 * @param nowNanos {@link System#nanoTime()} at the same moment, to date each event
	 * from when it was published
	 */
	byte[][] publishArguments(List<RelayedEvent> events, String newEpoch, byte[] maxLength, byte[] maxAgeMillis,
			long nowMicros, long nowNanos, @Nullable Acknowledged acknowledged) {
		byte[][] arguments = new byte[PUBLISH_HEADER + PUBLISH_PER_EVENT * events.size()][];
		arguments[0] = bytes(newEpoch);
		arguments[1] = maxLength;
		arguments[2] = maxAgeMillis;
		arguments[3] = bytes((acknowledged != null) ? acknowledged.position().epoch() : "");
		arguments[4] = bytes(Long.toString((acknowledged != null) ? acknowledged.position().sequence() : 0));
		arguments[5] = bytes((acknowledged != null) ? acknowledged.streamId() : "");
		int next = PUBLISH_HEADER;
		for (RelayedEvent event : events) {
			long publishedMicros = nowMicros - Math.max(0, nowNanos - event.publishedNanos()) / 1000;
			String id = event.id();
			arguments[next++] = new byte[] { (byte) ('0' + event.audience().ordinal()) };
			arguments[next++] = bytes(event.target());
			arguments[next++] = event.frame();
			arguments[next++] = bytes(Long.toString(publishedMicros));
			// An empty id is an id: the byte before it tells it from none.
			arguments[next++] = (id != null) ? bytes(":" + id) : NO_ID;
		}
		return arguments;
	}

	/** Bytes of one event among the arguments of {@link #PUBLISH}, about. */
	static long publishBytes(RelayedEvent event) {
		return event.frame().length + event.target().length() + ((event.id() != null) ? event.id().length() : 0)
				+ 32;
	}

	static byte[][] positionArguments(String newEpoch, String replaced, @Nullable Acknowledged acknowledged) {
		return new byte[][] { bytes(newEpoch), bytes(replaced),
				bytes((acknowledged != null) ? acknowledged.position().epoch() : ""),
				bytes((acknowledged != null) ? acknowledged.streamId() : "") };
	}

	static byte[][] readArguments(String after, int count, long bytes) {
		return new byte[][] { bytes(after), bytes(Integer.toString(count)), bytes(Long.toString(bytes)) };
	}

	/**
	 * What {@link #PUBLISH} answered for a batch of {@code events} events: an event whose
	 * part of the answer is not what the script returns gets {@code null}, so that its
	 * caller is told the outcome is unknown while the others learn theirs.
	 * @throws InvalidStateException if the answer as a whole is not of that script
	 */
	Published published(List<Object> reply, int events) {
		if (reply.size() != 2 + 2 * events || !(reply.get(0) instanceof byte[] repaired)
				|| !(reply.get(1) instanceof byte[] epochBytes) || !Position.isEpoch(text(epochBytes))) {
			throw new InvalidStateException("the publish script answered " + shown(reply));
		}
		String epoch = text(epochBytes);
		List<@Nullable Appended> appended = new ArrayList<>(events);
		for (int i = 2; i < reply.size(); i += 2) {
			boolean valid = reply.get(i) instanceof Long sequence && sequence >= 0
					&& reply.get(i + 1) instanceof byte[] entry && (sequence > 0) == isStreamId(text(entry));
			appended.add(valid ? new Appended(new Position(epoch, (Long) reply.get(i)), text((byte[]) reply.get(i + 1)))
					: null);
		}
		return new Published(repairs(repaired), appended);
	}

	/**
	 * What {@link #POSITION} answered.
	 * @throws InvalidStateException if it is not a valid position and stream id
	 */
	StoredPosition stored(List<Object> reply) {
		if (reply.size() != 5 || !(reply.get(0) instanceof byte[] epoch) || !(reply.get(1) instanceof byte[] sequence)
				|| !(reply.get(2) instanceof byte[] last) || !(reply.get(3) instanceof byte[] repaired)
				|| !(reply.get(4) instanceof byte[] lost)) {
			throw new InvalidStateException("the position script answered " + reply);
		}
		Position position = position(text(epoch), text(sequence), "the position");
		String lastId = text(last);
		if (!lastId.isEmpty()) {
			checkStreamId(lastId);
		}
		return new StoredPosition(position, lastId.isEmpty() ? START : lastId, repairs(repaired),
				(lost.length > 0) ? text(lost) : null);
	}

	/**
	 * The entries {@link #READ} answered, as a blocking read returns them.
	 * @throws InvalidStateException if the answer is not entries
	 */
	List<StreamMessage<byte[], byte[]>> entries(List<Object> reply) {
		List<StreamMessage<byte[], byte[]>> entries = new ArrayList<>(reply.size());
		for (Object item : reply) {
			if (!(item instanceof List<?> entry) || entry.size() != 2 || !(entry.get(0) instanceof byte[] id)
					|| !(entry.get(1) instanceof List<?> fields) || fields.size() % 2 != 0) {
				throw new InvalidStateException("the read script answered an entry that is not one: " + item);
			}
			Map<byte[], byte[]> body = new LinkedHashMap<>();
			for (int i = 0; i < fields.size(); i += 2) {
				body.put((byte[]) fields.get(i), (byte[]) fields.get(i + 1));
			}
			entries.add(new StreamMessage<>(eventsKey(), text(id), body));
		}
		return entries;
	}

	/**
	 * One event as the stream keeps it, checked.
	 * @throws InvalidStateException naming the entry and what is wrong with it
	 */
	StreamEntry entry(StreamMessage<byte[], byte[]> message) {
		String streamId = message.getId();
		checkStreamId(streamId);
		String epoch = null;
		String sequence = null;
		String audience = null;
		String target = "";
		String id = null;
		byte[] frame = null;
		String published = null;
		for (Map.Entry<byte[], byte[]> field : message.getBody().entrySet()) {
			byte[] name = field.getKey();
			byte[] value = field.getValue();
			if (name.length != 1) {
				// A field from a later version: not needed to deliver the event.
				continue;
			}
			switch (name[0]) {
				case 'e' -> epoch = text(value);
				case 's' -> sequence = text(value);
				case 'a' -> audience = text(value);
				case 't' -> target = text(value);
				case 'i' -> id = text(value);
				case 'f' -> frame = value;
				case 'p' -> published = text(value);
				default -> {
					// A field from a later version, as above.
				}
			}
		}
		String where = "stream entry " + streamId + " of " + this.events;
		Position position = position(epoch, sequence, where);
		if (position.sequence() == 0) {
			throw new InvalidStateException(where + " has sequence 0; events are numbered from 1");
		}
		if (audience == null || audience.length() != 1 || audience.charAt(0) < '0'
				|| audience.charAt(0) >= '0' + AUDIENCES.length) {
			throw new InvalidStateException(where + " has audience " + quoted(audience) + ", not a digit from 0 to "
					+ (AUDIENCES.length - 1));
		}
		Audience kind = AUDIENCES[audience.charAt(0) - '0'];
		// A disconnect command carries an empty frame; every other entry exactly one event.
		boolean command = kind == Audience.DISCONNECT_USER || kind == Audience.DISCONNECT_CLIENT;
		if (frame == null || (command ? frame.length != 0 : !isFrame(frame))) {
			throw new InvalidStateException(where + (command ? " is a disconnect command with a frame"
					: " has no frame of lines ending in one blank line"));
		}
		if (id != null && (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0 || id.indexOf('\0') >= 0)) {
			throw new InvalidStateException(where + " has an id with a line break or NUL");
		}
		long publishedMicros = (published != null && isDigits(published, 19)) ? Long.parseLong(published) : -1;
		if (publishedMicros < 0) {
			throw new InvalidStateException(where + " has publishing time " + quoted(published)
					+ ", not microseconds since 1970");
		}
		return new StreamEntry(streamId, position, kind, target, id, frame, publishedMicros);
	}

	/**
	 * Compare two stream ids, as Redis orders them.
	 */
	static int compareStreamIds(String a, String b) {
		int dashA = a.indexOf('-');
		int dashB = b.indexOf('-');
		int byMillis = Long.compareUnsigned(Long.parseUnsignedLong(a, 0, dashA, 10),
				Long.parseUnsignedLong(b, 0, dashB, 10));
		return (byMillis != 0) ? byMillis : Long.compareUnsigned(Long.parseUnsignedLong(a, dashA + 1, a.length(), 10),
				Long.parseUnsignedLong(b, dashB + 1, b.length(), 10));
	}

	private static Position position(@Nullable String epoch, @Nullable String sequence, String where) {
		if (!Position.isEpoch(epoch)) {
			throw new InvalidStateException(where + " has epoch " + quoted(epoch) + ", not 1 to "
					+ Position.MAX_EPOCH_LENGTH + " letters and digits");
		}
		if (sequence == null || !isDigits(sequence, MAX_SEQUENCE_DIGITS)) {
			throw new InvalidStateException(where + " has sequence " + quoted(sequence) + ", not a number of 1 to "
					+ MAX_SEQUENCE_DIGITS + " digits");
		}
		return new Position(epoch, Long.parseLong(sequence));
	}

	private static void checkStreamId(String id) {
		if (!isStreamId(id)) {
			throw new InvalidStateException("'" + id + "' is not a stream id");
		}
	}

	private static boolean isStreamId(String id) {
		int dash = id.indexOf('-');
		return dash >= 1 && isDigits(id.substring(0, dash), 20) && isDigits(id.substring(dash + 1), 20);
	}

	// Lines ending in \n, the last one blank: so that it cannot run into the next event.
	private static boolean isFrame(byte[] frame) {
		int length = frame.length;
		if (length < 2 || frame[length - 1] != '\n' || frame[length - 2] != '\n' || frame[0] == '\n') {
			return false;
		}
		for (int i = 0; i < length - 1; i++) {
			if (frame[i] == '\r' || (frame[i] == '\n' && frame[i + 1] == '\n' && i != length - 2)) {
				return false;
			}
		}
		return true;
	}

	private static boolean isDigits(String text, int maxLength) {
		if (text.isEmpty() || text.length() > maxLength) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) < '0' || text.charAt(i) > '9') {
				return false;
			}
		}
		return text.length() < 19 || Long.compareUnsigned(Long.parseUnsignedLong(text), Long.MAX_VALUE) <= 0;
	}

	private static @Nullable String repairs(byte[] repaired) {
		return (repaired.length > 0) ? text(repaired).strip() : null;
	}

	/** A script's answer for messages; it may hold a whole batch: enough of it to see what it is. */
	static String shown(List<Object> reply) {
		return reply.stream()
			.limit(8)
			.map((item) -> (item instanceof byte[] bytes) ? "'" + text(bytes) + "'" : String.valueOf(item))
			.collect(Collectors.joining(", ", "[", (reply.size() > 8) ? ", … (" + reply.size() + " items)]" : "]"));
	}

	private static String quoted(@Nullable String value) {
		if (value == null) {
			return "(none)";
		}
		String shown = (value.length() > 40) ? value.substring(0, 40) + "…" : value;
		return "'" + shown + "'";
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/**
	 * What a publish did with one event.
	 *
	 * @param position the position the event was given, or sequence 0 if an event with
	 * its id, audience and target was appended before and is still retained
	 * @param streamId the id of the entry appended, empty if none was
	 */
	record Appended(Position position, String streamId) {

		boolean isDuplicate() {
			return this.position.sequence() == 0;
		}

	}

	/**
	 * What one call of {@link #PUBLISH} did.
	 *
	 * @param repaired what the script found invalid and replaced, or {@code null}
	 * @param events what it did with each event, in order; {@code null} for an event
	 * whose part of the answer could not be read
	 */
	record Published(@Nullable String repaired, List<@Nullable Appended> events) {

	}

	/**
	 * The position in force in Redis and the last entry of the stream, read together.
	 *
	 * @param position the epoch and last sequence given out
	 * @param lastStreamId the stream's last entry, or {@link #START} if it is empty
	 * @param repaired what the script found invalid and replaced, or {@code null}
	 * @param lostEntry the entry last acknowledged to this instance, if Redis no longer
	 * has it in the epoch in force, else {@code null}
	 */
	record StoredPosition(Position position, String lastStreamId, @Nullable String repaired,
			@Nullable String lostEntry) {

	}

	/**
	 * Something read from Redis that the relay did not write: treated as lost state.
	 */
	static final class InvalidStateException extends RuntimeException {

		InvalidStateException(String message) {
			super(message);
		}

	}

}
