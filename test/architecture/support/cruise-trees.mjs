// Cruises the src folder of each directory named on the command line with the dependency-cruiser
// config named first, and prints the results as one JSON array, in order. Plain JavaScript, run
// by plain node (see layering.ts): under tsx, dependency-cruiser's swc parser loses its Visitor.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

const [configFile, ...directories] = process.argv.slice(2);
const options = await extractDepcruiseOptions(configFile);
const results = [];
for (const baseDir of directories) {
  const { output } = await cruise(['src'], { ...options, baseDir });
  results.push(output);
}
process.stdout.write(JSON.stringify(results));
