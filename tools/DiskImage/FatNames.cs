// File names in FAT directories: every file has an 8.3 short name; names that
// are not already a valid upper-case 8.3 name also get a long (VFAT) name,
// stored as a run of 13-character entries in front of the short entry and tied
// to it by a checksum of the short name. Short names for long ones are made the
// way Windows makes them ("kernel.conf" -> "KERNEL~1.CON").
using System.Text;

namespace DiskImage;

public static class FatNames
{
    public const int EntrySize = 32;
    public const int MaxLongNameLength = 255;
    private const int CharactersPerLongEntry = 13;
    private const string ShortNameSpecials = "$%'-_@~`!(){}^#&";

    /// <summary>True when <paramref name="name"/> is stored as is in a short entry (no long name needed).</summary>
    public static bool IsShortName(string name)
    {
        if (name is "." or "..")
            return false;
        int dot = name.IndexOf('.');
        string stem = dot < 0 ? name : name[..dot];
        string extension = dot < 0 ? "" : name[(dot + 1)..];
        if (stem.Length is 0 or > 8 || extension.Length > 3 || (dot >= 0 && extension.Length == 0) || extension.Contains('.'))
            return false;
        return (stem + extension).All(IsShortNameCharacter);
    }

    /// <summary>The 11 bytes of a short entry's name field for a name that IsShortName accepts.</summary>
    public static byte[] ShortNameField(string shortName)
    {
        int dot = shortName.IndexOf('.');
        string stem = dot < 0 ? shortName : shortName[..dot];
        string extension = dot < 0 ? "" : shortName[(dot + 1)..];
        return Encoding.ASCII.GetBytes(stem.PadRight(8) + extension.PadRight(3));
    }

    /// <summary>A short name for <paramref name="longName"/> that is not in <paramref name="taken"/> (upper-case 8.3 names).</summary>
    public static string MakeShortName(string longName, ISet<string> taken)
    {
        int lastDot = longName.LastIndexOf('.');
        string stem = Clean(lastDot > 0 ? longName[..lastDot] : longName);
        string extension = Clean(lastDot > 0 ? longName[(lastDot + 1)..] : "");
        if (extension.Length > 3)
            extension = extension[..3];
        if (stem.Length == 0)
            stem = "_";
        for (int n = 1; n < 1_000_000; n++)
        {
            string tail = "~" + n;
            string candidate = stem[..Math.Min(stem.Length, 8 - tail.Length)] + tail + (extension.Length > 0 ? "." + extension : "");
            if (!taken.Contains(candidate))
                return candidate;
        }

        throw new DiskImageException($"no free short name for '{longName}'");
    }

    /// <summary>Checks a name the image is asked to hold; FAT forbids some characters and limits the length.</summary>
    public static void Validate(string name)
    {
        if (name.Length == 0 || name.Length > MaxLongNameLength)
            throw new DiskImageException($"file name '{name}' must have 1 to {MaxLongNameLength} characters");
        if (name is "." or ".." || name.EndsWith('.') || name.EndsWith(' '))
            throw new DiskImageException($"file name '{name}' cannot be stored in FAT (no '.', '..', or trailing dot or space)");
        foreach (char c in name)
        {
            if (c < 0x20 || "\"*/:<>?\\|".Contains(c))
                throw new DiskImageException($"file name '{name}' holds '{c}', which FAT does not allow");
        }
    }

    /// <summary>The long-name entries that precede the short entry, in on-disk order (last part first).</summary>
    public static List<byte[]> LongNameEntries(string longName, byte[] shortNameField)
    {
        byte checksum = Checksum(shortNameField);
        int count = (longName.Length + CharactersPerLongEntry - 1) / CharactersPerLongEntry;
        var entries = new List<byte[]>(count);
        for (int index = count; index >= 1; index--)
        {
            var entry = new byte[EntrySize];
            entry[0] = (byte)(index | (index == count ? 0x40 : 0));
            entry[11] = 0x0F;   // attributes: read-only | hidden | system | volume = long-name entry
            entry[13] = checksum;
            int start = (index - 1) * CharactersPerLongEntry;
            for (int i = 0; i < CharactersPerLongEntry; i++)
            {
                int position = start + i;
                // After the name: one NUL, then 0xFFFF padding.
                ushort c = position < longName.Length ? longName[position] : position == longName.Length ? (ushort)0 : (ushort)0xFFFF;
                int offset = i switch
                {
                    < 5 => 1 + 2 * i,
                    < 11 => 14 + 2 * (i - 5),
                    _ => 28 + 2 * (i - 11),
                };
                entry[offset] = (byte)c;
                entry[offset + 1] = (byte)(c >> 8);
            }

            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>The long-name checksum of an 11-byte short name field.</summary>
    public static byte Checksum(ReadOnlySpan<byte> shortNameField)
    {
        byte sum = 0;
        foreach (byte b in shortNameField[..11])
            sum = (byte)(((sum & 1) << 7) + (sum >> 1) + b);
        return sum;
    }

    private static bool IsShortNameCharacter(char c)
        => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') || ShortNameSpecials.Contains(c);

    private static string Clean(string part)
    {
        var builder = new StringBuilder();
        foreach (char c in part.ToUpperInvariant())
        {
            if (c is ' ' or '.')
                continue;
            builder.Append(c < 0x80 && IsShortNameCharacter(c) ? c : '_');
        }

        return builder.ToString();
    }
}
