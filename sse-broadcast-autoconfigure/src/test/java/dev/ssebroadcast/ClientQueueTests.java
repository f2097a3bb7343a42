package dev.ssebroadcast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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
	void oneProducerAndTwoPollersLoseNothingAndDuplicateNothing() throws Exception {
		int elements = 200_000;
		ClientQueue<Integer> queue = new ClientQueue<>(64);
		// A second poller, as a publisher that drops the oldest element to make room.
		List<Integer> dropped = new ArrayList<>();
		AtomicBoolean produced = new AtomicBoolean();
		Thread dropper = Thread.ofPlatform().start(() -> {
			while (!produced.get() || queue.size() > 0) {
				Integer element = queue.poll();
				if (element != null) {
					dropped.add(element);
				}
			}
		});
		Thread producer = Thread.ofPlatform().start(() -> {
			for (int i = 0; i < elements; i++) {
				while (!queue.offer(i)) {
					Thread.onSpinWait();
				}
			}
			produced.set(true);
			queue.close();
		});
		List<Integer> taken = new ArrayList<>();
		Integer element;
		while ((element = queue.take()) != null) {
			taken.add(element);
		}
		producer.join();
		dropper.join();
		assertThat(taken).as("taken in order").isSorted();
		assertThat(dropped).as("dropped in order").isSorted();
		List<Integer> all = new ArrayList<>(taken);
		all.addAll(dropped);
		assertThat(all).as("every element once").hasSize(elements).doesNotHaveDuplicates();
	}

	@Test
	void startsWithFewSlotsAndGrowsOnlyAsFarAsItsCapacity() {
		ClientQueue<Integer> queue = new ClientQueue<>(100);
		assertThat(queue.slotCount()).isEqualTo(2);
		for (int i = 0; i < 5; i++) {
			queue.offer(i);
		}
		assertThat(queue.slotCount()).isEqualTo(8);
		for (int i = 5; i < 100; i++) {
			assertThat(queue.offer(i)).isTrue();
		}
		assertThat(queue.offer(100)).as("offer beyond the capacity").isFalse();
		assertThat(queue.slotCount()).isEqualTo(128);
		for (int i = 0; i < 100; i++) {
			assertThat(queue.poll()).isEqualTo(i);
		}
		assertThat(queue.poll()).isNull();
	}

	@Test
	void growingKeepsOrderWhileElementsWrapAround() {
		ClientQueue<Integer> queue = new ClientQueue<>(32);
		int next = 0;
		int expected = 0;
		for (int round = 1; round <= 16; round++) {
			for (int i = 0; i < round; i++) {
				assertThat(queue.offer(next++)).isTrue();
			}
			for (int i = 0; i < round - 1; i++) {
				assertThat(queue.poll()).isEqualTo(expected++);
			}
		}
		while (expected < next) {
			assertThat(queue.poll()).isEqualTo(expected++);
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
