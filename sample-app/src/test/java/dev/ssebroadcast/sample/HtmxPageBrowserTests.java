package dev.ssebroadcast.sample;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.ssebroadcast.sample.Chromium.awaitText;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The htmx page ({@code /htmx.html}) in headless Chromium: htmx's SSE extension swaps
 * the fragments the server broadcasts into the page.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class HtmxPageBrowserTests {

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	@LocalServerPort
	int port;

	@Test
	void messageSentFromOneTabIsSwappedIntoBoth() throws Exception {
		WebDriver browser = chromium.open();
		String first = openPage(browser);
		browser.switchTo().newWindow(WindowType.TAB);
		openPage(browser);

		send(browser, "hello over htmx");

		awaitText(browser, "messages", "hello over htmx");
		browser.switchTo().window(first);
		awaitText(browser, "messages", "hello over htmx");
		assertThat(browser.findElements(By.cssSelector("#messages li time"))).hasSize(1);
	}

	@Test
	void markupInAMessageIsShownAsText() throws Exception {
		WebDriver browser = chromium.open();
		openPage(browser);

		send(browser, "<b>not bold</b>");

		awaitText(browser, "messages", "<b>not bold</b>");
		List<WebElement> bold = browser.findElements(By.cssSelector("#messages b"));
		assertThat(bold).as("elements made from the message's markup").isEmpty();
	}

	private String openPage(WebDriver browser) {
		return Chromium.openPage(browser, "http://127.0.0.1:" + this.port + "/htmx.html");
	}

	private static void send(WebDriver browser, String message) {
		browser.findElement(By.name("message")).sendKeys(message);
		browser.findElement(By.cssSelector("form button[type=submit]")).click();
	}

}
