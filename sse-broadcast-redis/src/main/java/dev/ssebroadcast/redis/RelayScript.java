package dev.ssebroadcast.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script the relay runs, and its SHA-1 digest for {@code EVALSHA}. The scripts
 * themselves are in {@link WireFormat}.
 *
 * @param source the script
 * @param digest its digest
 */
record RelayScript(byte[] source, String digest) {

	static RelayScript of(String source) {
		byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
		try {
			return new RelayScript(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
