package dev.ssebroadcast;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The connected clients, found by id, by topic and by user. Reads never block; a client
 * appears in or vanishes from every index with one call.
 */
final class ClientRegistry {

	private final Map<Long, SseClient> byId = new ConcurrentHashMap<>();

	private final Map<String, Set<SseClient>> byTopic = new ConcurrentHashMap<>();

	private final Map<String, Set<SseClient>> byUser = new ConcurrentHashMap<>();

	void add(SseClient client) {
		this.byId.put(client.id(), client);
		client.topics().forEach((topic) -> index(this.byTopic, topic, client));
		if (client.user() != null) {
			index(this.byUser, client.user(), client);
		}
	}

	void remove(long id) {
		SseClient client = this.byId.remove(id);
		if (client == null) {
			return;
		}
		client.topics().forEach((topic) -> unindex(this.byTopic, topic, client));
		if (client.user() != null) {
			unindex(this.byUser, client.user(), client);
		}
	}

	Collection<SseClient> all() {
		return this.byId.values();
	}

	Collection<SseClient> subscribers(String topic) {
		return this.byTopic.getOrDefault(topic, Set.of());
	}

	Collection<SseClient> connectionsOf(String user) {
		return this.byUser.getOrDefault(user, Set.of());
	}

	@Nullable SseClient get(long id) {
		return this.byId.get(id);
	}

	int size() {
		return this.byId.size();
	}

	List<SseClient> snapshot() {
		return List.copyOf(this.byId.values());
	}

	private static void index(Map<String, Set<SseClient>> index, String key, SseClient client) {
		index.compute(key, (ignored, clients) -> {
			Set<SseClient> set = (clients != null) ? clients : ConcurrentHashMap.newKeySet();
			set.add(client);
			return set;
		});
	}

	private static void unindex(Map<String, Set<SseClient>> index, String key, SseClient client) {
		index.computeIfPresent(key, (ignored, clients) -> {
			clients.remove(client);
			return clients.isEmpty() ? null : clients;
		});
	}

}
