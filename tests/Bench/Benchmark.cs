// One row of the benchmark table: a measured figure, and the peer or floor
// it is compared with, measured in the same run.
namespace Bench;

public sealed record BenchmarkResult(string Name, string Value, string Peer, string PeerValue, string Comparison);

public interface IBenchmark
{
    string Name { get; }

    IEnumerable<BenchmarkResult> Run(BenchmarkContext context);
}

public sealed class BenchmarkContext
{
    public required string Root { get; init; }

    /// <summary>Repetitions for timed measurements (medians are reported).</summary>
    public int Repetitions { get; init; } = 3;

    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
