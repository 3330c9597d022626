// ECharts, tree-shaken: only the core, the two chart types and the components these views use.
// Imported by the chart components only, so it loads with the overview's route chunk.
import { BarChart, HeatmapChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent, CanvasRenderer])

export { echarts }
export type { EChartsCoreOption } from 'echarts/core'
