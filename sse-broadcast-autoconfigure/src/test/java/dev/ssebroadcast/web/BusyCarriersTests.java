package dev.ssebroadcast.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.autoconfigure.CarrierThreads;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.awaitility.Awaitility.await;

/**
 * Virtual threads that never block keep their carriers: with one carrier per core, two
 * of them on two cores hold up every stream until they finish.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class BusyCarriersTests {

	private static final Duration SPIN_AT_MOST = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Test
	void streamsGetEventsWhileBusyVirtualThreadsHoldAllButOneCarrier() throws Exception {
		int busy = CarrierThreads.DEFAULT_MINIMUM - 1;
		AtomicInteger spinning = new AtomicInteger();
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> threads = new ArrayList<>();
		try (SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse")) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			for (int i = 0; i < busy; i++) {
				threads.add(Thread.ofVirtual().start(() -> spin(spinning, stop)));
			}
			await(busy + " busy virtual threads to run").atMost(Duration.ofSeconds(5))
				.until(() -> spinning.get() == busy);
			this.broadcaster.broadcast("while busy");
			client.awaitData("while busy");
		}
		finally {
			stop.set(true);
			for (Thread thread : threads) {
				thread.join(SPIN_AT_MOST);
			}
		}
	}

	private static void spin(AtomicInteger spinning, AtomicBoolean stop) {
		spinning.incrementAndGet();
		long end = System.nanoTime() + SPIN_AT_MOST.toNanos();
		while (!stop.get() && System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

}
