package dev.ssebroadcast.benchmarks.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import dev.ssebroadcast.benchmarks.load.RunResult;

/**
 * The plots the README shows, as panels side by side with one line per series. The
 * comparison's: heap per connection, latency to the last client (p99) and sustained
 * deliveries per second, each against the number of clients, one line per server.
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
		List<String> labels = clients.stream().map((n) -> "N=" + n).toList();
		return of(labels, List.of(
				panel("Heap per connection (KiB)", runs, servers, clients, RunResult::heapPerConnectionKiB),
				panel("Last client latency p99 (ms)", runs, servers, clients, (run) -> run.lastClient().p99()),
				panel("Sustained deliveries/s (0 lost)", runs, servers, clients, RunResult::sustainedPerSecond)));
	}

	private static Panel panel(String title, List<RunResult> runs, List<String> servers, List<Integer> clients,
			ToDoubleFunction<RunResult> metric) {
		List<Series> series = new ArrayList<>();
		for (String server : servers) {
			double[] values = new double[clients.size()];
			for (int c = 0; c < clients.size(); c++) {
				values[c] = Double.NaN;
				for (RunResult run : runs) {
					if (run.server().equals(server) && run.clients() == clients.get(c)) {
						values[c] = metric.applyAsDouble(run);
					}
				}
			}
			series.add(new Series(server, values));
		}
		return new Panel(title, series);
	}

	/**
	 * Panels side by side, each a line per series over the same x labels; the legend
	 * names the first panel's series.
	 */
	static String of(List<String> xLabels, List<Panel> panels) {
		List<Series> legend = panels.get(0).series();
		int width = panels.size() * PANEL_WIDTH + 20;
		int height = PANEL_HEIGHT + 70 + 16 * ((legend.size() - 1) / 6);
		StringBuilder svg = new StringBuilder();
		svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
				+ "font-family=\"sans-serif\" font-size=\"11\">\n", width, height));
		svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
		for (int p = 0; p < panels.size(); p++) {
			panel(svg, p, panels.get(p), xLabels);
		}
		for (int s = 0; s < legend.size(); s++) {
			int x = 20 + (s % 6) * 150;
			int y = PANEL_HEIGHT + 50 + 16 * (s / 6);
			svg.append(format("<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y - 10, color(s)));
			svg.append(format("<text x=\"%d\" y=\"%d\">%s</text>\n", x + 16, y, legend.get(s).name()));
		}
		return svg.append("</svg>\n").toString();
	}

	private static void panel(StringBuilder svg, int index, Panel panel, List<String> xLabels) {
		int left = index * PANEL_WIDTH + MARGIN;
		int top = 30;
		int plotWidth = PANEL_WIDTH - MARGIN - 15;
		int plotHeight = PANEL_HEIGHT - 50;
		double max = panel.series()
			.stream()
			.flatMapToDouble((series) -> Arrays.stream(series.values()))
			.filter(Double::isFinite)
			.max()
			.orElse(1);
		double top10 = niceCeiling(max);
		svg.append(format("<text x=\"%d\" y=\"18\" font-weight=\"bold\">%s</text>\n", left, panel.title()));
		for (int tick = 0; tick <= 4; tick++) {
			double value = top10 * tick / 4;
			double y = top + plotHeight - plotHeight * tick / 4.0;
			svg.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>", left, y,
					left + plotWidth, y));
			svg.append(format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", left - 4, y + 4, label(value)));
		}
		for (int c = 0; c < xLabels.size(); c++) {
			svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
					x(c, xLabels.size(), left, plotWidth), top + plotHeight + 16, xLabels.get(c)));
		}
		for (int s = 0; s < panel.series().size(); s++) {
			double[] values = panel.series().get(s).values();
			List<String> points = new ArrayList<>();
			for (int c = 0; c < values.length; c++) {
				if (Double.isFinite(values[c])) {
					double y = top + plotHeight - plotHeight * values[c] / top10;
					points.add(format("%.1f,%.1f", x(c, xLabels.size(), left, plotWidth), y));
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

	private static double x(int index, int count, int left, int plotWidth) {
		return (count == 1) ? left + plotWidth / 2.0 : left + 20 + (plotWidth - 40.0) * index / (count - 1);
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

	/** One panel of a chart. */
	record Panel(String title, List<Series> series) {
	}

	/** One line: a value per x label, NaN where there is none. */
	record Series(String name, double[] values) {
	}

}
