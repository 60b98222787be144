// Entry point:
//   DiskImage <output.img> --file <path in image>=<host file> [--file ...]
//             [--disk-size <bytes, or with K/M/G/T (binary)>] [--label <volume label>]
// e.g. DiskImage artifacts/disk.img --file EFI/BOOT/BOOTX64.EFI=artifacts/esp/EFI/BOOT/BOOTX64.EFI
// Exit code 0 when written, 1 with a message on stderr when the image cannot be made, 2 on bad usage.
using DiskImage;

const string Usage = "usage: DiskImage <output.img> --file <path in image>=<host file> [--file ...] [--disk-size <size>] [--label <label>]";

string? output = null;
var files = new List<ImageFile>();
long? diskBytes = null;
string label = "TESSERA";
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--file":
                string spec = Value();
                int equals = spec.IndexOf('=');
                if (equals <= 0 || equals == spec.Length - 1)
                    throw new ArgumentException($"--file takes <path in image>=<host file>, not '{spec}'");
                files.Add(new ImageFile(spec[..equals], spec[(equals + 1)..]));
                break;
            case "--disk-size":
                diskBytes = SizeParser.Parse(Value());
                break;
            case "--label":
                label = Value();
                break;
            default:
                if (args[i].StartsWith("--", StringComparison.Ordinal) || output is not null)
                    throw new ArgumentException($"unexpected argument '{args[i]}'");
                output = args[i];
                break;
        }
    }

    if (output is null || files.Count == 0)
        throw new ArgumentException("an output path and at least one --file are needed");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("DiskImage: " + e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    DiskImageResult result = DiskImageWriter.Write(output, new DiskImageOptions { Files = files, DiskBytes = diskBytes, Label = label });
    FatLayout layout = result.Layout;
    Console.WriteLine(
        $"DiskImage: {output}: {DiskImageWriter.Describe(result.DiskBytes)} GPT disk; EFI system partition at 1 MiB, " +
        $"{DiskImageWriter.Describe((result.Partition.LastSector - result.Partition.FirstSector + 1) * DiskImageWriter.SectorSize)}, " +
        $"{layout.TypeName} with {layout.ClusterCount} clusters of {layout.ClusterBytes} bytes; {files.Count} file(s), {result.PayloadBytes} bytes");
    return 0;
}
catch (Exception e) when (e is DiskImageException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine("DiskImage: " + e.Message);
    return 1;
}
