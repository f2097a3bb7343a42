package dev.ssebroadcast.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.util.FileSystemUtils;

/**
 * Headless Chromium for tests of the sample's pages, driven through the installed
 * {@code chromedriver} so that nothing is downloaded. Register it as a static
 * {@code @RegisterExtension} field: where Chromium is not installed, the test class is
 * skipped with a message that says how to install it.
 */
final class Chromium implements ExecutionCondition, AfterEachCallback {

	private static final Path BROWSER = Paths.get(System.getProperty("chromium.binary", "/usr/bin/chromium"));

	private static final Path DRIVER = Paths.get(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));

	private static final String NOT_INSTALLED = "Browser tests skipped: they need Chromium at " + BROWSER
			+ " and chromedriver at " + DRIVER + ". On Debian or Ubuntu: apt-get install chromium chromium-driver"
			+ " (elsewhere, point -Dchromium.binary and -Dchromium.driver at them).";

	private static final AtomicBoolean toldNotInstalled = new AtomicBoolean();

	/** How long a page may take to show what a test waits for. */
	static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final List<Session> sessions = new ArrayList<>();

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
			return ConditionEvaluationResult.enabled("Chromium found at " + BROWSER);
		}
		if (toldNotInstalled.compareAndSet(false, true)) {
			System.err.println(NOT_INSTALLED);
		}
		return ConditionEvaluationResult.disabled(NOT_INSTALLED);
	}

	/**
	 * Start a browser; it is closed after the test.
	 * @param arguments more command-line arguments for Chromium
	 * @return the browser
	 */
	WebDriver open(String... arguments) throws IOException {
		Path profile = Files.createTempDirectory("chromium-profile");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + profile);
		options.addArguments(arguments);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver browser = new ChromeDriver(service, options);
		this.sessions.add(new Session(browser, profile));
		return browser;
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		for (Session session : this.sessions) {
			session.browser().quit();
			FileSystemUtils.deleteRecursively(session.profile());
		}
		this.sessions.clear();
	}

	/**
	 * Load one of the sample's pages and wait until its stream is open.
	 * @param browser the browser
	 * @param url the page's address
	 * @return the handle of the window or tab that shows it
	 */
	static String openPage(WebDriver browser, String url) {
		browser.get(url);
		awaitText(browser, "status", "open");
		return browser.getWindowHandle();
	}

	/**
	 * Wait until the element {@code id} of the current page shows {@code text}.
	 * @param browser the browser
	 * @param id the element's id
	 * @param text the text it should contain
	 */
	static void awaitText(WebDriver browser, String id, String text) {
		new WebDriverWait(browser, TIMEOUT).withMessage(() -> "#" + id + " to show '" + text + "'")
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
	}

	private record Session(WebDriver browser, Path profile) {
	}

}
