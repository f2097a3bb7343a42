package dev.ssebroadcast;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventEncoderTests {

	private static final EventEncoder ENCODER = new EventEncoder(SseDataEncoder.TEXT_ONLY, 1024);

	@Test
	void plainData() {
		assertThat(encode(SseEvent.of("hello"))).isEqualTo("data: hello\n\n");
	}

	@Test
	void idAndEventPrecedeData() {
		assertThat(encode(SseEvent.of("x").withEvent("tick").withId("42"))).isEqualTo("id: 42\nevent: tick\ndata: x\n\n");
	}

	@Test
	void commentRetryAndDataInOneFrame() {
		assertThat(encode(SseEvent.of("x").withComment("two\nlines").withRetry(java.time.Duration.ofSeconds(3))))
			.isEqualTo(": two\n: lines\nretry: 3000\ndata: x\n\n");
		assertThat(encode(SseEvent.comment("just this"))).isEqualTo(": just this\n\n");
	}

	@Test
	void generatedIdIsPrependedToTheSharedFrame() {
		byte[] frame = ENCODER.encode(SseEvent.of("x"));
		assertThat(new String(EventEncoder.withGeneratedId("17", frame), StandardCharsets.UTF_8))
			.isEqualTo("id: 17\ndata: x\n\n");
	}

	@Test
	void objectDataGoesThroughTheDataEncoder() {
		EventEncoder encoder = new EventEncoder((data) -> "{\"n\":" + data + "}", 1024);
		assertThat(new String(encoder.encode(SseEvent.of(5)), StandardCharsets.UTF_8)).isEqualTo("data: {\"n\":5}\n\n");
	}

	@Test
	void oversizedEventIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ENCODER.encode(SseEvent.of("x".repeat(1020))))
			.withMessage("Event is 1028 bytes when encoded, more than the 1024 allowed (sse.broadcast.max-event-size)");
	}

	@Test
	void eventNeedsSomethingToSend() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SseEvent(null, "name", null, null, null))
			.withMessage("An event needs data, a retry delay or a comment");
	}

	@Test
	void eachLineOfDataGetsItsOwnDataField() {
		assertThat(encode(SseEvent.of("a\nb\r\nc\rd"))).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
	}

	@Test
	void trailingAndEmptyLinesArePreserved() {
		assertThat(encode(SseEvent.of("a\n"))).isEqualTo("data: a\ndata: \n\n");
		assertThat(encode(SseEvent.of(""))).isEqualTo("data: \n\n");
	}

	@Test
	void utf8IsPreserved() {
		byte[] frame = ENCODER.encode(SseEvent.of("ünïcødé ✓ 😀"));
		assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("data: ünïcødé ✓ 😀\n\n");
	}

	@Test
	void lineBreaksInEventNameAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withEvent("a\ndata: injected"))
			.withMessage("event must not contain CR or LF, but was 'a\\ndata: injected'");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withEvent("a\rb"));
	}

	@Test
	void lineBreaksInIdAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withId("1\n2"))
			.withMessageStartingWith("id must not contain CR or LF");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withId("1\r"));
	}

	@Test
	void nulInIdIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withId("1\0"))
			.withMessageContaining("NUL");
	}

	@Test
	void idsThatCannotComeBackAsLastEventIdAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withId(""))
			.withMessageStartingWith("id must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withId("order-1 "))
			.withMessage("id must not start or end with whitespace, which Last-Event-ID loses, but was 'order-1 '");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withId("\torder-1"))
			.withMessageStartingWith("id must not start or end with whitespace");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withId("a\u0001b"))
			.withMessage("id must not contain control characters, which Last-Event-ID cannot carry, but has U+0001 at index 1");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withId("a\ud800"))
			.withMessageStartingWith("id must not contain a lone surrogate");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x").withId("\udc00a"))
			.withMessageStartingWith("id must not contain a lone surrogate");
	}

	@Test
	void idsThatComeBackAreAccepted() {
		assertThat(SseEvent.of("x").withId("café 1").id()).isEqualTo("café 1");
		assertThat(SseEvent.of("x").withId("😀-3").id()).isEqualTo("😀-3");
	}

	@Test
	void nullDataIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of(null)).withMessage("data must not be null");
	}

	private static String encode(SseEvent event) {
		return new String(ENCODER.encode(event), StandardCharsets.UTF_8);
	}

}
