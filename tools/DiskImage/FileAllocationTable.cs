// One FAT in memory: 12-, 16- or 28-bit entries (FAT32 keeps the top four bits
// reserved), with the two reserved entries at the front and cluster chains
// linked in order. Both on-disk copies are written from the same bytes.
namespace DiskImage;

public sealed class FileAllocationTable
{
    private readonly FatType _type;

    public FileAllocationTable(FatLayout layout)
    {
        _type = layout.Type;
        Bytes = new byte[(long)layout.FatSectors * FatLayout.SectorSize];
        // Entry 0: the media byte with all other bits set; entry 1: end of chain,
        // which on FAT16/32 also says "cleanly unmounted, no I/O errors".
        Set(0, EndOfChain & ~0xFFu | 0xF8);
        Set(1, EndOfChain);
    }

    public byte[] Bytes { get; }

    private uint EndOfChain => _type switch
    {
        FatType.Fat12 => 0xFFF,
        FatType.Fat16 => 0xFFFF,
        _ => 0x0FFFFFFF,
    };

    /// <summary>Links clusters first .. first + count - 1 into one chain ending in end-of-chain.</summary>
    public void Chain(long first, long count)
    {
        for (long cluster = first; cluster < first + count; cluster++)
            Set(cluster, cluster == first + count - 1 ? EndOfChain : (uint)(cluster + 1));
    }

    public uint Get(long cluster)
    {
        switch (_type)
        {
            case FatType.Fat12:
            {
                long offset = cluster * 3 / 2;
                int pair = Bytes[offset] | Bytes[offset + 1] << 8;
                return (uint)((cluster & 1) == 0 ? pair & 0xFFF : pair >> 4);
            }

            case FatType.Fat16:
                return BitConverter.ToUInt16(Bytes, (int)(cluster * 2));
            default:
                return BitConverter.ToUInt32(Bytes, (int)(cluster * 4)) & 0x0FFFFFFF;
        }
    }

    private void Set(long cluster, uint value)
    {
        switch (_type)
        {
            case FatType.Fat12:
            {
                // Two entries share three bytes: an even entry takes the low 12 bits, an odd one the high 12.
                long offset = cluster * 3 / 2;
                if ((cluster & 1) == 0)
                {
                    Bytes[offset] = (byte)value;
                    Bytes[offset + 1] = (byte)((uint)(Bytes[offset + 1] & 0xF0) | (value >> 8) & 0x0F);
                }
                else
                {
                    Bytes[offset] = (byte)((uint)(Bytes[offset] & 0x0F) | (value << 4) & 0xF0);
                    Bytes[offset + 1] = (byte)(value >> 4);
                }

                break;
            }

            case FatType.Fat16:
                Bytes[cluster * 2] = (byte)value;
                Bytes[cluster * 2 + 1] = (byte)(value >> 8);
                break;
            default:
                for (int i = 0; i < 4; i++)
                    Bytes[cluster * 4 + i] = (byte)(value >> (8 * i));
                break;
        }
    }
}
