// `netshade` command line: picks the command and reports failures the same way for all.
import { UsageError } from './commands/args.js';
import { CaptureError } from './sources/open-capture.js';

const USAGE = `netshade: live network-traffic pictures

Usage:
  netshade serve [options]                 serve the built-in demo traffic (default command)
  netshade replay FILE|- [options]         serve a capture: pcap, pcapng or tcpdump -qns 0 text (- = stdin)
  netshade render FILE -o OUT.png [opts]   draw one still picture of a whole capture
  netshade live -i IFACE [-f BPF] [opts]   serve live capture (libpcap via cap; --tcpdump: a tcpdump child)
  netshade live --follow FILE|- [opts]     serve a growing tcpdump -l -nq -tt text file (like tail -F), or stdin
  netshade interfaces [--json]             list the interfaces live can capture on
  netshade convert FILE --out DIR [--format parquet,arrow,csv] [--compat]
                                           node and edge tables of a whole capture (--compat: the reference converter's)

Serve/replay options:
  --host ADDR        address to bind (env HOST, default 127.0.0.1)
  --token T          required on every request (env NETSHADE_TOKEN); needed to listen beyond loopback
  --port N           port (env PORT, default 8080; 0 = any free port)
  --speed N|max      replay speed, times capture pace (replay default 1, demo default 10)
  --loop             start the capture again when it ends (always on for the demo)
  --window S         sliding window, capture seconds (default 60)
  --rebundle S       seconds between re-bundles when the graph changed (default 2)
  --seed N           demo traffic seed (default 2012)
  --new-edges        draw edges that first appeared within the window in cyan
Live options (plus the serve options above, except --speed, --loop and --seed):
  -i, --interface IFACE   interface to capture on (any = all, Linux)
  -f, --filter BPF        capture filter, as for tcpdump, e.g. 'tcp port 443'
  --snaplen N             bytes kept per packet (0 = all, default)
  --promisc               promiscuous mode (cap always uses it; --tcpdump only with this flag)
  --buffer-mb N           libpcap capture buffer in MiB (default 16; tcpdump's own with --tcpdump)
  --tcpdump               capture with a tcpdump child instead of cap
  --follow FILE|-         read tcpdump text as it is written, instead of capturing
Picture options (all commands):
  --size N | --width W --height H   picture size in pixels (default 2000x2000)
  --size viewer                      (serve, replay, live) frames follow the largest viewer's picture area
  --how eq_hist|log|linear|cbrt      shading (default eq_hist)
  --mode points|lines                bundled vertices as points (the reference) or polylines
  --no-bundle | --bundle             straight edges / KDE edge bundling (default: bundled on the circle only)
  --cmap NAME                        fire (default), viridis, inferno, magma, plasma, cividis
  --background #rrggbb               background colour (default #000000)
  --layers                           one layer per protocol (tcp, udp, icmp, other), each its own ramp
  --layout circular|force|random     host layout (default circular, by address)
  --dots fixed|traffic               active-host dots of one size, or growing with the host's bytes
  --highlight ADDRESS                draw this host's edges in green, its dot ringed
  --sum edges|bytes                  a pixel counts the edges through it (default) or their bytes
  --antialias                        antialiased lines (with --mode lines or --no-bundle)
`;

// Each command is loaded on demand: `convert` pulls in Arrow and Parquet writers that the
// server does not need at start-up.
const COMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<void>>> = {
  serve: async () => (await import('./commands/serve.js')).runServe,
  replay: async () => (await import('./commands/serve.js')).runReplay,
  render: async () => (await import('./commands/render.js')).runRender,
  live: async () => (await import('./commands/live.js')).runLive,
  interfaces: async () => (await import('./commands/interfaces.js')).runInterfaces,
  convert: async () => (await import('./commands/convert.js')).runConvert,
};

async function main(argv: string[]): Promise<void> {
  const first = argv[0];
  // Help anywhere on the line (`netshade render --help`) wins over the command.
  if (first === 'help' || argv.includes('--help') || argv.includes('-h')) { process.stdout.write(USAGE); return; }
  const command = first === undefined || first.startsWith('-') ? 'serve' : first;
  const load = COMMANDS[command];
  if (!load) throw new UsageError(`unknown command "${command}"`);
  const run = await load();
  await run(command === first ? argv.slice(1) : argv);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (err as { code?: string }).code ?? '';
  if (e instanceof UsageError || e instanceof RangeError || code.startsWith('ERR_PARSE_ARGS')) {
    console.error(`netshade: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (e instanceof CaptureError) {
    console.error(e.message.startsWith('netshade:') ? e.message : `netshade: ${e.message}`);
    process.exit(1);
  }
  // A file the command could not write or read (-o into a directory, no permission ...).
  const path = (err as { path?: unknown }).path;
  if (typeof path === 'string' && code) {
    console.error(`netshade: ${path}: ${e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}`);
    process.exit(1);
  }
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    console.error(`netshade: cannot listen: ${e.message} (choose another --host/--port)`);
    process.exit(1);
  }
  console.error(e);
  process.exit(1);
});
