package dev.ssebroadcast.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import dev.ssebroadcast.benchmarks.load.RunResult;

/**
 * The plot the README shows: heap per connection, latency to the last client (p99) and
 * sustained deliveries per second, each against the number of clients, one line per
 * server.
 */
final class SvgChart {

	private static final String[] COLORS = { "#444444", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e" };

	private static final int PANEL_WIDTH = 330;

	private static final int PANEL_HEIGHT = 240;

	private static final int MARGIN = 50;

	private SvgChart() {
	}

	static String of(List<RunResult> runs) {
		List<String> servers = runs.stream().map(RunResult::server).distinct().toList();
		List<Integer> clients = runs.stream().map(RunResult::clients).distinct().sorted().toList();
		int width = 3 * PANEL_WIDTH + 20;
		int height = PANEL_HEIGHT + 70;
		StringBuilder svg = new StringBuilder();
		svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
				+ "font-family=\"sans-serif\" font-size=\"11\">\n", width, height));
		svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
		panel(svg, 0, "Heap per connection (KiB)", runs, servers, clients, RunResult::heapPerConnectionKiB);
		panel(svg, 1, "Last client latency p99 (ms)", runs, servers, clients, (run) -> run.lastClient().p99());
		panel(svg, 2, "Sustained deliveries/s (0 lost)", runs, servers, clients, RunResult::sustainedPerSecond);
		for (int s = 0; s < servers.size(); s++) {
			int x = 20 + s * 150;
			int y = PANEL_HEIGHT + 50;
			svg.append(format("<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y - 10, color(s)));
			svg.append(format("<text x=\"%d\" y=\"%d\">%s</text>\n", x + 16, y, servers.get(s)));
		}
		return svg.append("</svg>\n").toString();
	}

	private static void panel(StringBuilder svg, int index, String title, List<RunResult> runs, List<String> servers,
			List<Integer> clients, ToDoubleFunction<RunResult> metric) {
		int left = index * PANEL_WIDTH + MARGIN;
		int top = 30;
		int plotWidth = PANEL_WIDTH - MARGIN - 15;
		int plotHeight = PANEL_HEIGHT - 50;
		double max = runs.stream().mapToDouble(metric).filter(Double::isFinite).max().orElse(1);
		double top10 = niceCeiling(max);
		svg.append(format("<text x=\"%d\" y=\"18\" font-weight=\"bold\">%s</text>\n", left, title));
		for (int tick = 0; tick <= 4; tick++) {
			double value = top10 * tick / 4;
			double y = top + plotHeight - plotHeight * tick / 4.0;
			svg.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>", left, y,
					left + plotWidth, y));
			svg.append(format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", left - 4, y + 4, label(value)));
		}
		for (int c = 0; c < clients.size(); c++) {
			svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">N=%d</text>\n", x(c, clients, left, plotWidth),
					top + plotHeight + 16, clients.get(c)));
		}
		for (int s = 0; s < servers.size(); s++) {
			List<String> points = new ArrayList<>();
			for (int c = 0; c < clients.size(); c++) {
				for (RunResult run : runs) {
					double value = metric.applyAsDouble(run);
					if (run.server().equals(servers.get(s)) && run.clients() == clients.get(c) && Double.isFinite(value)) {
						double y = top + plotHeight - plotHeight * value / top10;
						points.add(format("%.1f,%.1f", x(c, clients, left, plotWidth), y));
					}
				}
			}
			svg.append(format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", color(s),
					String.join(" ", points)));
			for (String point : points) {
				String[] xy = point.split(",");
				svg.append(format("<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>", xy[0], xy[1], color(s)));
			}
			svg.append('\n');
		}
	}

	private static double x(int index, List<Integer> clients, int left, int plotWidth) {
		return (clients.size() == 1) ? left + plotWidth / 2.0 : left + 20 + (plotWidth - 40.0) * index / (clients.size() - 1);
	}

	private static double niceCeiling(double max) {
		if (max <= 0) {
			return 1;
		}
		double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
		for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (step * magnitude >= max) {
				return step * magnitude;
			}
		}
		return 10 * magnitude;
	}

	private static String label(double value) {
		if (value >= 1000) {
			double thousands = value / 1000;
			return (thousands == Math.rint(thousands)) ? format("%.0fk", thousands) : format("%.1fk", thousands);
		}
		return (value == Math.rint(value)) ? format("%.0f", value) : format("%.1f", value);
	}

	private static String color(int index) {
		return COLORS[index % COLORS.length];
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
