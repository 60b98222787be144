// Runs every benchmark and prints one table (also written to artifacts/bench.md).
using System.Text;
using Bench;
using Boot.Tests.Harness;

var benchmarks = new IBenchmark[]
{
    new BootBenchmarks(),
    new InterruptBenchmarks(),
    new LoaderBenchmarks(),
    new ConsoleBenchmarks(),
    new ExceptionBenchmarks(),
    new PagingBenchmarks(),
    new HeapBenchmarks(),
    new GcBenchmarks(),
    new ThrowCatchBenchmarks(),
    new AsyncBenchmarks(),
    new AsyncKernelBenchmarks(),
};

var context = new BenchmarkContext { Root = Repository.Root, Repetitions = args.Contains("--quick") ? 1 : 3 };
var rows = new List<BenchmarkResult>();
// "--only=paging,loader" runs just those groups.
string? only = args.FirstOrDefault(a => a.StartsWith("--only=", StringComparison.Ordinal))?["--only=".Length..];
foreach (IBenchmark benchmark in benchmarks.Where(b => only is null || only.Split(',').Contains(b.Name)))
{
    Console.WriteLine($"running {benchmark.Name} benchmarks...");
    rows.AddRange(benchmark.Run(context));
}

var table = new StringBuilder();
table.AppendLine("| benchmark | value | compared with | its value | difference |");
table.AppendLine("|---|---|---|---|---|");
foreach (BenchmarkResult row in rows)
    table.AppendLine($"| {row.Name} | {row.Value} | {row.Peer} | {row.PeerValue} | {row.Comparison} |");

Console.WriteLine();
Console.Write(table);
File.WriteAllText(Path.Combine(Repository.Artifacts, "bench.md"), table.ToString());
return 0;
