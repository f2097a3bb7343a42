package dev.ssebroadcast.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.apache.catalina.util.ServerInfo;

import org.springframework.boot.SpringBootVersion;

/**
 * Where and with what the results were measured.
 *
 * @param date the day of the run
 * @param cores available processors
 * @param memoryGiB physical memory
 * @param jdk the JDK that ran every JVM
 * @param springBoot Spring Boot's version
 * @param tomcat Tomcat's version
 * @param netty Netty's version
 * @param jvmFlags the flags every server got
 */
public record Environment(String date, int cores, long memoryGiB, String jdk, String springBoot, String tomcat, String netty,
		List<String> jvmFlags) {

	static Environment current(LocalDate date, List<String> jvmFlags) {
		return new Environment(date.toString(), Runtime.getRuntime().availableProcessors(), physicalMemoryGiB(),
				System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
				SpringBootVersion.getVersion(), ServerInfo.getServerNumber(),
				io.netty.util.Version.identify().values().iterator().next().artifactVersion(), jvmFlags);
	}

	String describe() {
		return this.date + ", " + this.cores + " cores, " + this.memoryGiB + " GiB, " + this.jdk + ", Spring Boot "
				+ this.springBoot + ", Tomcat " + this.tomcat + ", Netty " + this.netty + ", JVM flags `"
				+ String.join(" ", this.jvmFlags) + "`";
	}

	private static long physicalMemoryGiB() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					long kib = Long.parseLong(line.replaceAll("\\D", ""));
					return Math.round(kib / 1024.0 / 1024.0);
				}
			}
		}
		catch (IOException ex) {
			// Not Linux: leave it out.
		}
		return 0;
	}

}
