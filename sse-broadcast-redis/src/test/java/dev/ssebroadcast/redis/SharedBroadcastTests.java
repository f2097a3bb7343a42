package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances on one Redis act as one broadcaster: every publish reaches every
 * instance's clients, in one order, with the same ids, and a client replays what it
 * missed on whichever instance it reconnects to.
 */
class SharedBroadcastTests {

	// Trimmed by age too, so that every publish runs that part of the script.
	private static final String MAX_AGE = "sse.broadcast.redis.retention.max-age=1h";

	private static RedisServer redis;

	private static Instance a;

	private static Instance b;

	private static Instance c;

	@BeforeAll
	static void startInstances() {
		redis = RedisServer.start();
		a = Instance.start(redis, "shared", MAX_AGE);
		b = Instance.start(redis, "shared", MAX_AGE);
		c = Instance.start(redis, "shared", MAX_AGE);
	}

	@AfterAll
	static void stopInstances() {
		for (Instance instance : new Instance[] { a, b, c }) {
			if (instance != null) {
				instance.close();
			}
		}
		redis.close();
	}

	@AfterEach
	void closeClients() {
		for (Instance instance : List.of(a, b, c)) {
			instance.closeClients();
			await("clients to be gone").atMost(Duration.ofSeconds(10))
				.until(() -> instance.broadcaster().clientCount() == 0);
		}
	}

	@Test
	void publishOnAnyInstanceReachesEveryInstanceInOneOrderWithTheSameIds() {
		SseTestClient onA = a.connect("/sse");
		SseTestClient onB = b.connect("/sse");
		SseTestClient onC = c.connect("/sse");
		awaitClients(a, b, c);
		List<String> published = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			Instance publisher = List.of(a, b, c).get(i % 3);
			published.add("event-" + i);
			SseEvent event = SseEvent.of("event-" + i);
			publisher.broadcaster().broadcast((i == 7) ? event.withId("app-7") : event);
		}

		List<ReceivedEvent> received = onA.awaitEvents(published.size());
		assertThat(received).extracting(ReceivedEvent::data).containsExactlyElementsOf(published);
		assertThat(received.get(7).id()).as("the application's id").isEqualTo("app-7");
		assertThat(received).extracting(ReceivedEvent::id).doesNotContainNull().doesNotHaveDuplicates();
		assertThat(onB.awaitEvents(published.size())).containsExactlyElementsOf(received);
		assertThat(onC.awaitEvents(published.size())).containsExactlyElementsOf(received);
	}

	@Test
	void concurrentPublishersOnTwoInstancesGiveEveryClientEveryEventOnceInOneOrder() throws Exception {
		List<SseTestClient> clients = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			clients.add(List.of(a, b, c).get(i % 3).connect("/sse"));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> a.broadcaster().clientCount() + b.broadcaster().clientCount()
					+ c.broadcaster().clientCount() == 100);
		int perThread = 50;
		List<Thread> publishers = startPublishers(perThread, Duration.ZERO);
		for (Thread publisher : publishers) {
			publisher.join(Duration.ofSeconds(30));
		}

		List<ReceivedEvent> reference = clients.get(0).awaitEvents(4 * perThread);
		assertThat(reference).extracting(ReceivedEvent::data).doesNotHaveDuplicates().hasSize(4 * perThread);
		for (int thread = 0; thread < 4; thread++) {
			String name = "thread-" + thread;
			List<String> own = reference.stream().map(ReceivedEvent::data).filter((data) -> data.startsWith(name + "-")).toList();
			assertThat(own).as("events of %s in the order it published them", name)
				.containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj((i) -> name + "-" + i).toList());
		}
		for (SseTestClient client : clients) {
			assertThat(client.awaitEvents(4 * perThread)).as("events received by %s", client)
				.containsExactlyElementsOf(reference);
		}
	}

	@Test
	void targetedSendsReachClientsOnOtherInstances() {
		SseTestClient aliceOnB = b.connect("/sse", Map.of(RelayTestApplication.USER_HEADER, "alice"));
		SseTestClient aliceOnC = c.connect("/sse", Map.of(RelayTestApplication.USER_HEADER, "alice"));
		SseTestClient bobOnA = a.connect("/sse", Map.of(RelayTestApplication.USER_HEADER, "bob"));
		awaitClients(a, b, c);
		SseClient targetOnC = c.broadcaster().clients().get(0);

		assertThat(a.broadcaster().sendToUser("alice", SseEvent.of("hi alice"))).as("alice's tabs on A").isZero();
		assertThat(a.broadcaster().sendToClient(targetOnC.id(), SseEvent.of("just you"))).as("a client on A")
			.isFalse();
		a.broadcaster().broadcast("done");

		assertThat(aliceOnB.awaitData("done")).containsExactly("hi alice", "done");
		assertThat(aliceOnC.awaitData("done")).containsExactly("hi alice", "just you", "done");
		assertThat(bobOnA.awaitData("done")).containsExactly("done");
		assertThat(aliceOnC.events().get(0).id()).as("a targeted event is not kept for replay").isNull();
	}

	@Test
	void topicSendReachesItsSubscribersOnEveryInstance() {
		SseTestClient ordersOnB = b.connect("/sse?topic=orders");
		SseTestClient ordersOnC = c.connect("/sse?topic=orders");
		SseTestClient everyoneOnA = a.connect("/sse");
		awaitClients(a, b, c);

		assertThat(a.broadcaster().send("orders", "order 1")).as("subscribers on A").isZero();
		a.broadcaster().broadcast("done");

		assertThat(ordersOnB.awaitData("done")).containsExactly("order 1", "done");
		assertThat(ordersOnC.awaitEvents(2)).containsExactlyElementsOf(ordersOnB.events());
		assertThat(everyoneOnA.awaitData("done")).containsExactly("done");
	}

	@Test
	void clientIdsAreUniqueAcrossInstances() {
		for (Instance instance : List.of(a, b, c)) {
			instance.connect("/sse");
			instance.connect("/sse");
		}
		await().until(() -> List.of(a, b, c).stream().allMatch((instance) -> instance.broadcaster().clientCount() == 2));
		Set<Long> ids = new HashSet<>();
		for (Instance instance : List.of(a, b, c)) {
			instance.broadcaster().clients().forEach((client) -> ids.add(client.id()));
		}
		assertThat(ids).hasSize(6);
	}

	@Test
	void clientCutOnOneInstanceReplaysExactlyWhatItMissedOnAnother() throws Exception {
		SseTestClient observer = c.connect("/sse");
		SseTestClient first = a.connect("/sse");
		awaitClients(a, c);
		int perThread = 60;
		// Spread the events out so that the drop and the replay happen mid-stream.
		List<Thread> publishers = startPublishers(perThread, Duration.ofMillis(3));
		await().pollInterval(Duration.ofMillis(1)).until(() -> first.events().size() >= 30);
		first.close();
		List<ReceivedEvent> beforeDrop = first.events();
		String lastEventId = beforeDrop.get(beforeDrop.size() - 1).id();

		SseTestClient second = b.connect("/sse", Map.of("Last-Event-ID", lastEventId));
		boolean stillPublishing = publishers.stream().anyMatch(Thread::isAlive);
		for (Thread publisher : publishers) {
			publisher.join(Duration.ofSeconds(30));
		}

		List<ReceivedEvent> all = observer.awaitEvents(4 * perThread);
		second.awaitEvents(all.size() - beforeDrop.size());
		List<ReceivedEvent> received = new ArrayList<>(beforeDrop);
		received.addAll(second.events());
		assertThat(received).as("events received on A, then on B").containsExactlyElementsOf(all);
		assertThat(stillPublishing).as("publishing went on while the client reconnected").isTrue();
	}

	@Test
	void restartedInstanceReplaysEventsPublishedBeforeItStarted() {
		SseTestClient onA = a.connect("/sse");
		awaitClients(a);
		for (int i = 0; i < 5; i++) {
			a.broadcaster().broadcast("before-" + i);
		}
		String lastSeen = onA.awaitEvents(2).get(1).id();
		c.close();
		for (int i = 0; i < 3; i++) {
			b.broadcaster().broadcast("while-down-" + i);
		}
		c = Instance.start(redis, "shared", MAX_AGE);

		SseTestClient onNewC = c.connect("/sse", Map.of("Last-Event-ID", lastSeen));
		a.broadcaster().broadcast("live");

		assertThat(onNewC.awaitData("live")).containsExactly("before-2", "before-3", "before-4", "while-down-0",
				"while-down-1", "while-down-2", "live");
		assertThat(onNewC.events()).containsExactlyElementsOf(onA.awaitEvents(9).subList(2, 9));
	}

	/**
	 * Four threads, two on A and two on B, each publishing {@code perThread} events named
	 * after it, with a pause after each.
	 */
	private static List<Thread> startPublishers(int perThread, Duration pause) {
		List<Thread> publishers = new ArrayList<>();
		for (int thread = 0; thread < 4; thread++) {
			SseBroadcaster broadcaster = ((thread % 2 == 0) ? a : b).broadcaster();
			String name = "thread-" + thread;
			publishers.add(Thread.ofPlatform().start(() -> {
				for (int i = 0; i < perThread; i++) {
					broadcaster.broadcast(name + "-" + i);
					LockSupport.parkNanos(pause.toNanos());
				}
			}));
		}
		return publishers;
	}

	private static void awaitClients(Instance... instances) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> List.of(instances).stream().allMatch((instance) -> instance.broadcaster().clientCount() >= 1));
	}

}
