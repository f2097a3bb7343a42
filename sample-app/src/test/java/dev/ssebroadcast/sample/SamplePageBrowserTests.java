package dev.ssebroadcast.sample;

import java.util.List;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.ssebroadcast.sample.Chromium.awaitText;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample page ({@code /}) in headless Chromium: what a person sees in two tabs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SamplePageBrowserTests {

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Test
	void messageSentFromOneTabShowsInBoth() throws Exception {
		WebDriver browser = chromium.open();
		String first = openPage(browser);
		browser.switchTo().newWindow(WindowType.TAB);
		String second = openPage(browser);

		browser.findElement(By.id("message")).sendKeys("hello from the second tab");
		browser.findElement(By.cssSelector("#send button[type=submit]")).click();

		awaitText(browser, "events", "hello from the second tab");
		browser.switchTo().window(first);
		awaitText(browser, "events", "hello from the second tab");
		assertThat(browser.getWindowHandles()).containsExactlyInAnyOrder(first, second);
	}

	@Test
	void dropAndResumeShowsTheEventsMissedMeanwhile() throws Exception {
		WebDriver browser = chromium.open();
		openPage(browser);
		this.broadcaster.broadcast(SseEvent.of("seen"));
		awaitText(browser, "events", "seen");

		// The connection is lost: events published now do not reach the page.
		((JavascriptExecutor) browser).executeScript("source.close()");
		this.broadcaster.broadcast(SseEvent.of("missed 1"));
		this.broadcaster.broadcast(SseEvent.of("missed 2"));

		browser.findElement(By.id("drop")).click();

		awaitText(browser, "events", "missed 2");
		assertThat(shownEvents(browser)).containsExactly("missed 2", "missed 1", "reconnected: missed events follow",
				"seen");
	}

	private String openPage(WebDriver browser) {
		return Chromium.openPage(browser, "http://127.0.0.1:" + this.port + "/");
	}

	// Newest first, as the page shows them, without their "#id" label.
	private static List<String> shownEvents(WebDriver browser) {
		return browser.findElements(By.cssSelector("#events li")).stream().map(SamplePageBrowserTests::text).toList();
	}

	private static String text(WebElement item) {
		List<WebElement> label = item.findElements(By.className("meta"));
		return item.getText().substring(label.isEmpty() ? 0 : label.get(0).getText().length());
	}

}
