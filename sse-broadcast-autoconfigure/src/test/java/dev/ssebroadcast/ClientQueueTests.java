package dev.ssebroadcast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class ClientQueueTests {

	@Test
	void keepsOrderAndRefusesWhenFull() {
		ClientQueue<String> queue = new ClientQueue<>(3);
		assertThat(queue.offer("a")).isTrue();
		assertThat(queue.offer("b")).isTrue();
		assertThat(queue.offer("c")).isTrue();
		assertThat(queue.offer("d")).isFalse();
		assertThat(queue.size()).isEqualTo(3);
		assertThat(queue.poll()).isEqualTo("a");
		assertThat(queue.offer("d")).isTrue();
		assertThat(List.of(queue.poll(), queue.poll(), queue.poll())).containsExactly("b", "c", "d");
		assertThat(queue.poll()).isNull();
	}

	@Test
	void wrapsAroundManyTimes() {
		ClientQueue<Integer> queue = new ClientQueue<>(3);
		for (int i = 0; i < 10_000; i++) {
			assertThat(queue.offer(i)).isTrue();
			assertThat(queue.poll()).isEqualTo(i);
		}
	}

	@Test
	void wakeMakesTakeReturnWithoutAnElement() throws Exception {
		ClientQueue<String> queue = new ClientQueue<>(1);
		List<String> taken = new ArrayList<>();
		Thread reader = Thread.ofVirtual().start(() -> {
			try {
				taken.add(String.valueOf(queue.take()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		awaitParked(reader);
		queue.wake();
		reader.join(Duration.ofSeconds(5));
		assertThat(taken).containsExactly("null");
		assertThat(queue.offer("still open")).isTrue();
	}

	@Test
	void takeWakesUpForAnOffer() throws Exception {
		ClientQueue<String> queue = new ClientQueue<>(1);
		List<String> taken = new ArrayList<>();
		Thread reader = Thread.ofVirtual().start(() -> {
			try {
				taken.add(queue.take());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		awaitParked(reader);
		queue.offer("hello");
		reader.join(Duration.ofSeconds(5));
		assertThat(taken).containsExactly("hello");
	}

	@Test
	void closeWakesTheReaderAndRefusesOffers() throws Exception {
		ClientQueue<String> queue = new ClientQueue<>(1);
		Thread reader = Thread.ofVirtual().start(() -> {
			try {
				queue.take();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		awaitParked(reader);
		queue.close();
		reader.join(Duration.ofSeconds(5));
		assertThat(reader.isAlive()).isFalse();
		assertThat(queue.offer("late")).isFalse();
	}

	@Test
	void concurrentProducersLoseNothingAndKeepTheirOwnOrder() throws Exception {
		int producers = 4;
		int perProducer = 50_000;
		ClientQueue<long[]> queue = new ClientQueue<>(64);
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			long producer = p;
			threads.add(Thread.ofPlatform().start(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (long i = 0; i < perProducer; i++) {
					long[] element = { producer, i };
					while (!queue.offer(element)) {
						Thread.onSpinWait();
					}
				}
			}));
		}
		long[] next = new long[producers];
		start.countDown();
		int received = 0;
		while (received < producers * perProducer) {
			long[] element = queue.take();
			assertThat(element).as("element %d", received).isNotNull();
			assertThat(element[1]).as("order of producer %d", element[0]).isEqualTo(next[(int) element[0]]);
			next[(int) element[0]]++;
			received++;
		}
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(queue.poll()).isNull();
	}

	@Test
	void capacityMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientQueue<>(0))
			.withMessage("capacity must be at least 1, but was 0");
	}

	// Only a reader that waits shows that the queue wakes it: one that has not got
	// there yet would find the element without waiting.
	private static void awaitParked(Thread reader) {
		await().until(() -> reader.getState() == Thread.State.WAITING);
	}

}
