/** Apache ECharts, tree-shaken to the charts the app draws (line, bar, heat map), rendered as SVG. */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { getLanguage } from '../i18n';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** Draws a chart into `host` (which needs a height) with the app's language; returns its disposer. */
export function mountChart(
  host: HTMLElement,
  option: ChartOption,
  onClick?: (params: { data?: unknown; name?: string; seriesIndex?: number; value?: unknown }) => void,
): () => void {
  const chart = echarts.init(host, undefined, { renderer: 'svg', locale: getLanguage() === 'zh' ? 'ZH' : 'EN' });
  chart.setOption({
    aria: { enabled: true },
    textStyle: { fontFamily: 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
    animation: false,
    ...option,
  });
  if (onClick) chart.on('click', (params) => onClick(params as never));
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    chart.dispose();
  };
}
