package dev.ssebroadcast.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CarrierThreadsTests {

	@Test
	void raisesTheCarriersToTheMinimum() {
		int before = CarrierThreads.current();
		new CarrierThreads(before + 1).afterPropertiesSet();
		assertThat(CarrierThreads.current()).isEqualTo(before + 1);
	}

	@Test
	void neverLowersThem() {
		int before = CarrierThreads.current();
		new CarrierThreads(1).afterPropertiesSet();
		assertThat(CarrierThreads.current()).isEqualTo(before);
	}

	@Test
	void zeroLeavesThemAlone() {
		int before = CarrierThreads.current();
		new CarrierThreads(0).afterPropertiesSet();
		assertThat(CarrierThreads.current()).isEqualTo(before);
	}

	@Test
	void theJdkOptionWins() {
		int before = CarrierThreads.current();
		System.setProperty(CarrierThreads.JDK_PROPERTY, Integer.toString(before));
		try {
			new CarrierThreads(before + 1).afterPropertiesSet();
			assertThat(CarrierThreads.current()).isEqualTo(before);
		}
		finally {
			System.clearProperty(CarrierThreads.JDK_PROPERTY);
		}
	}

	@Test
	void moreThanTheSchedulerAllowsIsRefusedNamingTheProperty() {
		CarrierThreads tooMany = new CarrierThreads(100_000);
		assertThatIllegalArgumentException().isThrownBy(tooMany::afterPropertiesSet)
			.withMessageStartingWith("sse.broadcast.min-carrier-threads is 100000, more than the virtual-thread "
					+ "scheduler allows");
	}

	@Test
	void negativeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CarrierThreads(-1))
			.withMessage("minCarrierThreads must be 0 or more, but was -1");
	}

}
