package dev.ssebroadcast.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script the relay runs, and its SHA-1 digest for {@code EVALSHA}.
 *
 * @param source the script
 * @param digest its digest
 */
record RelayScript(byte[] source, String digest) {

	/**
	 * Number and append one event. KEYS: position, events. ARGV: an epoch to start if
	 * there is none, the stream's maximum length, its maximum age in milliseconds (0 for
	 * none), audience, target, frame, publishing time, the epoch and sequence number last
	 * acknowledged to this publisher (empty and 0 for none), and the application's id if
	 * any. The epoch is missing, or behind what this publisher was acknowledged, only when
	 * Redis lost writes: a new one tells every instance that what it delivered before
	 * cannot be resumed, and no number is given out twice. Returns the event's epoch and
	 * sequence number.
	 */
	static final RelayScript PUBLISH = of("""
			local epoch = redis.call('HGET', KEYS[1], 'epoch')
			if (not epoch) or (epoch == ARGV[8]
					and (tonumber(redis.call('HGET', KEYS[1], 'sequence')) or 0) < tonumber(ARGV[9])) then
				epoch = ARGV[1]
				redis.call('HSET', KEYS[1], 'epoch', epoch, 'sequence', 0)
			end
			local sequence = redis.call('HINCRBY', KEYS[1], 'sequence', 1)
			local id
			if ARGV[10] then
				id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'e', epoch, 's', sequence,
					'a', ARGV[4], 't', ARGV[5], 'p', ARGV[7], 'f', ARGV[6], 'i', ARGV[10])
			else
				id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'e', epoch, 's', sequence,
					'a', ARGV[4], 't', ARGV[5], 'p', ARGV[7], 'f', ARGV[6])
			end
			local maxAge = tonumber(ARGV[3])
			if maxAge > 0 then
				local millis = tonumber(string.match(id, '^(%d+)'))
				redis.call('XTRIM', KEYS[2], 'MINID', '~', string.format('%d', millis - maxAge))
			end
			return {epoch, sequence}
			""");

	/**
	 * Start a new epoch when there is none or when it is still the given one, and return
	 * the epoch and last sequence number in force. KEYS: position. ARGV: the new epoch,
	 * the epoch to replace (empty for none).
	 */
	static final RelayScript RENEW_EPOCH = of("""
			local epoch = redis.call('HGET', KEYS[1], 'epoch')
			if (not epoch) or epoch == ARGV[2] then
				redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'sequence', 0)
				return {ARGV[1], 0}
			end
			return {epoch, tonumber(redis.call('HGET', KEYS[1], 'sequence'))}
			""");

	private static RelayScript of(String source) {
		byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
		try {
			return new RelayScript(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
