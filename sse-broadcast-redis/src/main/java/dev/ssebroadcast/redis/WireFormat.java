package dev.ssebroadcast.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <li>{@code {prefix}:events}, a stream with one entry per batch of events published
 * together, so that Redis does the work of one entry, not of one per event. Fields have
 * one-letter names: {@code e} epoch, {@code s} the sequence of its first event (the
 * others follow it), {@code n} how many events it holds, {@code v} the events one after
 * the other, each as {@code <audience digit><published>:<target length>:<target>}, then
 * its id ({@code -} when the application gave none, else {@code <length>:<id>}), then
 * {@code <frame length>:<frame>}, with {@code published} in microseconds since the Unix
 * epoch and lengths in bytes;</li>
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
	 * Number and append a batch of events in order, as one entry, each unless one with
	 * its id, audience and target is retained (or came earlier in the batch). KEYS:
	 * position, events, ids. ARGV: an epoch to start if there is no valid one, the
	 * stream's maximum length in entries, its maximum age in milliseconds (0 for none),
	 * the epoch, sequence and stream id of the event last acknowledged to this publisher
	 * (empty, 0 and empty for none); then two for each event: the member that records its
	 * id (empty if it has none) and the event as the entry holds it. A position behind
	 * that acknowledged event, or that event gone, means Redis lost acknowledged writes (a
	 * failover to a replica that lagged), and other publishers may have been given their
	 * numbers: a new epoch starts, so that clients are reset. Returns what was repaired,
	 * the epoch, the first appended event's sequence and its entry's id (0 and empty if
	 * every event was a duplicate), and a {@code 1} for each event appended, a
	 * {@code 0} for each duplicate. The fixed cost of calling a script, and of an entry,
	 * is paid once for many events.
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
			local events, members, seen, appended = {}, {}, {}, {}
			for i = 7, #ARGV, 2 do
				local member = ARGV[i]
				if member ~= '' and (seen[member] or redis.call('ZSCORE', KEYS[3], member)) then
					appended[#appended + 1] = '0'
				else
					appended[#appended + 1] = '1'
					events[#events + 1] = ARGV[i + 1]
					if member ~= '' then
						seen[member] = true
						members[#members + 1] = member
					end
				end
			end
			local first, entry = 0, ''
			if #events > 0 then
				first = redis.call('HINCRBY', KEYS[1], 'sequence', #events) - #events + 1
				entry = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'e', epoch,
					's', string.format('%d', first), 'n', #events, 'v', table.concat(events))
				local millis = tonumber(string.match(entry, '^(%d+)'))
				for _, member in ipairs(members) do
					redis.call('ZADD', KEYS[3], millis, member)
				end
				local maxAge = tonumber(ARGV[3])
				if maxAge > 0 then
					redis.call('XTRIM', KEYS[2], 'MINID', '~', string.format('%d', millis - maxAge))
				end
				if redis.call('EXISTS', KEYS[3]) == 1 then
					local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
					local oldestMillis = tonumber(string.match(oldest[1], '^(%d+)'))
					redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. string.format('%d', oldestMillis))
				end
			end
			return {found, epoch, first, entry, table.concat(appended)}
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

	private static final long MAX_SEQUENCE = 999_999_999_999_999_999L;

	private static final int PUBLISH_HEADER = 6;

	private static final int PUBLISH_PER_EVENT = 2;

	private static final byte[] NO_MEMBER = {};

	/** Most events one entry may say it holds: far more than a batch carries. */
	private static final int MAX_EVENTS_PER_ENTRY = 1_000_000;

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
			byte[] target = bytes(event.target());
			// The id with its audience and target: an empty id is an id, told from none by
			// what comes before it.
			arguments[next++] = (id != null)
					? bytes(event.audience().ordinal() + "" + target.length + ":" + event.target() + id) : NO_MEMBER;
			arguments[next++] = encoded(event, target, publishedMicros);
		}
		return arguments;
	}

	/** One event as an entry holds it, in {@code v}. */
	private static byte[] encoded(RelayedEvent event, byte[] target, long publishedMicros) {
		byte[] id = (event.id() != null) ? bytes(event.id()) : null;
		byte[] frame = event.frame();
		ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length + target.length + 48);
		out.write('0' + event.audience().ordinal());
		out.writeBytes(bytes(publishedMicros + ":" + target.length + ":"));
		out.writeBytes(target);
		if (id != null) {
			out.writeBytes(bytes(id.length + ":"));
			out.writeBytes(id);
		}
		else {
			out.write('-');
		}
		out.writeBytes(bytes(frame.length + ":"));
		out.writeBytes(frame);
		return out.toByteArray();
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
	 * What {@link #PUBLISH} answered for a batch of {@code events} events.
	 * @throws InvalidStateException if the answer is not of that script for that many
	 * events
	 */
	Published published(List<Object> reply, int events) {
		if (reply.size() != 5 || !(reply.get(0) instanceof byte[] repaired)
				|| !(reply.get(1) instanceof byte[] epochBytes) || !Position.isEpoch(text(epochBytes))
				|| !(reply.get(2) instanceof Long first) || !(reply.get(3) instanceof byte[] entryBytes)
				|| !(reply.get(4) instanceof byte[] flags) || flags.length != events) {
			throw new InvalidStateException("the publish script answered " + shown(reply));
		}
		String epoch = text(epochBytes);
		String entry = text(entryBytes);
		boolean anyAppended = false;
		for (byte flag : flags) {
			if (flag != '0' && flag != '1') {
				throw new InvalidStateException("the publish script answered " + shown(reply));
			}
			anyAppended |= flag == '1';
		}
		if (anyAppended ? (first < 1 || !isStreamId(entry) || first > MAX_SEQUENCE - events)
				: (first != 0 || !entry.isEmpty())) {
			throw new InvalidStateException("the publish script answered " + shown(reply));
		}
		List<Appended> appended = new ArrayList<>(events);
		long next = first;
		for (byte flag : flags) {
			appended.add((flag == '1') ? new Appended(new Position(epoch, next++), entry)
					: new Appended(new Position(epoch, 0), ""));
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
	 * The events of one entry of the stream, checked.
	 * @throws InvalidStateException naming the entry and what is wrong with it
	 */
	List<StreamEntry> events(StreamMessage<byte[], byte[]> message) {
		String streamId = message.getId();
		checkStreamId(streamId);
		String epoch = null;
		String sequence = null;
		String count = null;
		byte[] values = null;
		for (Map.Entry<byte[], byte[]> field : message.getBody().entrySet()) {
			byte[] name = field.getKey();
			if (name.length != 1) {
				// A field from a later version: not needed to deliver the events.
				continue;
			}
			switch (name[0]) {
				case 'e' -> epoch = text(field.getValue());
				case 's' -> sequence = text(field.getValue());
				case 'n' -> count = text(field.getValue());
				case 'v' -> values = field.getValue();
				default -> {
					// A field from a later version, as above.
				}
			}
		}
		String where = "stream entry " + streamId + " of " + this.events;
		Position first = position(epoch, sequence, where);
		if (first.sequence() == 0) {
			throw new InvalidStateException(where + " has sequence 0; events are numbered from 1");
		}
		if (count == null || !isDigits(count, 7) || Long.parseLong(count) < 1
				|| Long.parseLong(count) > MAX_EVENTS_PER_ENTRY) {
			throw new InvalidStateException(where + " holds " + quoted(count) + " events, not 1 to "
					+ MAX_EVENTS_PER_ENTRY);
		}
		int events = Integer.parseInt(count);
		if (first.sequence() > MAX_SEQUENCE - events) {
			throw new InvalidStateException(where + " numbers its events beyond " + MAX_SEQUENCE);
		}
		if (values == null) {
			throw new InvalidStateException(where + " has no events (field v)");
		}
		// Sized for a batch, not for what the entry says it holds: it may say anything.
		List<StreamEntry> entries = new ArrayList<>(Math.min(events, PublishBatcher.MAX_EVENTS));
		EventReader reader = new EventReader(values, where);
		for (int i = 0; i < events; i++) {
			entries.add(reader.next(streamId, new Position(first.epoch(), first.sequence() + i)));
		}
		if (!reader.atEnd()) {
			throw new InvalidStateException(where + " holds more than the " + events + " events it says");
		}
		return entries;
	}

	/**
	 * Reads the events of one entry's {@code v}, one after the other, checking each.
	 */
	private static final class EventReader {

		private final byte[] values;

		private final String where;

		private int at;

		EventReader(byte[] values, String where) {
			this.values = values;
			this.where = where;
		}

		StreamEntry next(String streamId, Position position) {
			String what = this.where + ", event " + position.id() + ",";
			if (this.at >= this.values.length) {
				throw new InvalidStateException(what + " is missing");
			}
			byte digit = this.values[this.at++];
			int audience = digit - '0';
			if (audience < 0 || audience >= AUDIENCES.length) {
				throw new InvalidStateException(what + " has audience byte " + (digit & 0xff)
						+ ", not a digit from 0 to " + (AUDIENCES.length - 1));
			}
			Audience kind = AUDIENCES[audience];
			long publishedMicros = number(what, "publishing time");
			String target = text(bytes(what, "target", number(what, "target length")));
			String id = null;
			if (this.at < this.values.length && this.values[this.at] == '-') {
				this.at++;
			}
			else {
				id = text(bytes(what, "id", number(what, "id length")));
				if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0 || id.indexOf('\0') >= 0) {
					throw new InvalidStateException(what + " has an id with a line break or NUL");
				}
			}
			byte[] frame = bytes(what, "frame", number(what, "frame length"));
			// A disconnect command carries an empty frame; every other event exactly one event.
			boolean command = kind == Audience.DISCONNECT_USER || kind == Audience.DISCONNECT_CLIENT;
			if (command ? frame.length != 0 : !isFrame(frame)) {
				throw new InvalidStateException(what + (command ? " is a disconnect command with a frame"
						: " has no frame of lines ending in one blank line"));
			}
			return new StreamEntry(streamId, position, kind, target, id, frame, publishedMicros);
		}

		boolean atEnd() {
			return this.at == this.values.length;
		}

		/** Digits up to a colon, which is passed over. */
		private long number(String what, String name) {
			int start = this.at;
			long value = 0;
			while (this.at < this.values.length && this.at - start < 18 && this.values[this.at] >= '0'
					&& this.values[this.at] <= '9') {
				value = value * 10 + (this.values[this.at++] - '0');
			}
			if (this.at == start || this.at >= this.values.length || this.values[this.at] != ':') {
				throw new InvalidStateException(what + " has no " + name + " of digits ending in ':'");
			}
			this.at++;
			return value;
		}

		private byte[] bytes(String what, String name, long length) {
			if (length > this.values.length - this.at) {
				throw new InvalidStateException(what + " has a " + name + " of " + length + " bytes, more than is left");
			}
			byte[] bytes = Arrays.copyOfRange(this.values, this.at, this.at + (int) length);
			this.at += (int) length;
			return bytes;
		}

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
	 * @param events what it did with each event, in order
	 */
	record Published(@Nullable String repaired, List<Appended> events) {

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
