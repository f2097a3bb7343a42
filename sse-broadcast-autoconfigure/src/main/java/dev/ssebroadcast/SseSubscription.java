package dev.ssebroadcast;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What one client asks to receive: the topics it subscribes to (besides what is
 * broadcast to everyone), the user it belongs to, and how to treat it when it falls
 * behind.
 * <p>
 * A topic name is 1 to {@value #MAX_TOPIC_LENGTH} characters from {@code A-Z a-z 0-9}
 * and {@code . _ : -}, so that it can travel unescaped in a query string.
 *
 * @param topics the topics, possibly none
 * @param user the authenticated user's name, or {@code null}
 * @param overflow the overflow policy for this client, or {@code null} for the
 * broadcaster's
 */
public record SseSubscription(Set<String> topics, @Nullable String user, @Nullable OverflowPolicy overflow) {

	/** The longest allowed topic name. */
	public static final int MAX_TOPIC_LENGTH = 64;

	private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_TOPIC_LENGTH + "}");

	public SseSubscription {
		if (topics == null) {
			throw new IllegalArgumentException("topics must not be null");
		}
		topics.forEach(SseSubscription::requireValidTopic);
		topics = Set.copyOf(new LinkedHashSet<>(topics));
	}

	/**
	 * A subscription to what is broadcast to everyone, and nothing else.
	 * @return the subscription
	 */
	public static SseSubscription everyone() {
		return new SseSubscription(Set.of(), null, null);
	}

	/**
	 * A subscription to the given topics, besides what is broadcast to everyone.
	 * @param topics the topic names
	 * @return the subscription
	 * @throws IllegalArgumentException if a topic name is not valid
	 */
	public static SseSubscription topics(Collection<String> topics) {
		return new SseSubscription(Set.copyOf(topics), null, null);
	}

	/**
	 * A copy with other topics, for example fewer of them.
	 * @param topics the topic names
	 * @return the narrowed subscription
	 */
	public SseSubscription withTopics(Collection<String> topics) {
		return new SseSubscription(Set.copyOf(topics), this.user, this.overflow);
	}

	/**
	 * A copy that belongs to {@code user}.
	 * @param user the user's name, or {@code null}
	 * @return the subscription
	 */
	public SseSubscription withUser(@Nullable String user) {
		return new SseSubscription(this.topics, user, this.overflow);
	}

	/**
	 * A copy with its own overflow policy, overriding the broadcaster's and the topics'.
	 * @param overflow the policy
	 * @return the subscription
	 */
	public SseSubscription withOverflow(OverflowPolicy overflow) {
		return new SseSubscription(this.topics, this.user, overflow);
	}

	/**
	 * Check a topic name.
	 * @param topic the name
	 * @return the name
	 * @throws IllegalArgumentException if the name is not allowed
	 */
	public static String requireValidTopic(String topic) {
		if (topic == null || !TOPIC.matcher(topic).matches()) {
			throw new IllegalArgumentException("Invalid topic '" + topic + "': use 1 to " + MAX_TOPIC_LENGTH
					+ " characters from A-Z, a-z, 0-9 and . _ : -");
		}
		return topic;
	}

}
