import { cpus, loadavg } from 'node:os';

export interface ResourceReport {
  /** Pipeline process CPU over the window, in cores (1.0 = one core busy). */
  readonly processCores: number;
  /** Pipeline process CPU time over the window (every thread: JavaScript, DuckDB, libuv). */
  readonly cpuSeconds: number;
  /** Whole machine busy share over the window (every process, other users included), 0..1. */
  readonly machineBusy: number;
  readonly peakRssMiB: number;
  readonly peakHeapMiB: number;
  readonly loadAverage1m: number;
}

/** Samples this process's CPU and memory, and the machine's CPU, over a window. */
export class ResourceSampler {
  private readonly startCpu = process.cpuUsage();
  private readonly startWall = performance.now();
  private readonly startMachine = machineTimes();
  private peakRss = 0;
  private peakHeap = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.sample(), 250);
    this.timer.unref();
    this.sample();
  }

  stop(): ResourceReport {
    clearInterval(this.timer);
    this.sample();
    const cpu = process.cpuUsage(this.startCpu);
    const wallMs = performance.now() - this.startWall;
    const machine = machineTimes();
    const busy = machine.busy - this.startMachine.busy;
    const total = machine.total - this.startMachine.total;
    return {
      processCores: (cpu.user + cpu.system) / 1000 / wallMs,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      machineBusy: total > 0 ? busy / total : 0,
      peakRssMiB: Math.max(this.peakRss, process.resourceUsage().maxRSS * 1024) / 1048576,
      peakHeapMiB: this.peakHeap / 1048576,
      loadAverage1m: loadavg()[0] ?? 0,
    };
  }

  private sample(): void {
    const memory = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, memory.rss);
    this.peakHeap = Math.max(this.peakHeap, memory.heapUsed);
  }
}

const machineTimes = () => {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
};
