// Sizes on the command line: "67108864", "64M", "64MiB", "64MB", "1G" (units are binary).
namespace DiskImage;

public static class SizeParser
{
    public static long Parse(string text)
    {
        string value = text.Trim();
        if (value.EndsWith("iB", StringComparison.OrdinalIgnoreCase))
            value = value[..^2];
        else if (value.EndsWith("B", StringComparison.OrdinalIgnoreCase))
            value = value[..^1];

        int shift = value.Length > 0 ? char.ToUpperInvariant(value[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 } : 0;
        if (shift != 0)
            value = value[..^1];
        if (!long.TryParse(value, System.Globalization.NumberStyles.None, null, out long number) || number <= 0 || number > (long.MaxValue >> shift))
            throw new ArgumentException($"'{text}' is not a size (examples: 67108864, 64M, 64MiB, 1G)");
        return number << shift;
    }
}
