// `netshade render FILE -o OUT.png`: one still picture of a whole capture.
import { parseArgs } from 'node:util';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderCapture } from '../pipeline/render-capture.js';
import { UsageError, pictureOptions, PICTURE_OPTIONS } from './args.js';

export async function runRender(argv: string[]): Promise<void> {
  const { values: v, positionals } = parseArgs({
    args: argv, options: { ...PICTURE_OPTIONS, output: { type: 'string', short: 'o' } }, allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) throw new UsageError('render needs a FILE');
  if (positionals.length > 1) throw new UsageError(`render takes one FILE, got ${positionals.length}`);
  if (!v.output) throw new UsageError('render needs -o OUT.png');
  const picture = pictureOptions(v, 2000);
  const result = await renderCapture(file, picture);
  await mkdir(dirname(v.output), { recursive: true });
  await writeFile(v.output, result.png);
  if (result.warning) console.error(`netshade: warning: ${result.warning.replace(/^netshade: /, '')}`);
  console.log(`netshade: ${file}: ${result.packets} packets, ${result.hosts} hosts, ${result.edges} edges -> ${v.output} (${picture.width}x${picture.height})`);
}
