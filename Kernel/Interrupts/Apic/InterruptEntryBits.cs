// The bits a local vector table entry (LvtEntry) and an I/O APIC redirection
// entry (RedirectionEntry) share in their low 17 bits (Intel SDM vol. 3 figure
// 11-8; 82093AA datasheet 3.2.4): vector, delivery mode, delivery status,
// polarity, remote IRR, trigger mode, mask. One decoder for both.
namespace Kernel.Interrupts.Apic;

internal static class InterruptEntryBits
{
    public const uint VectorMask = 0xFF;
    public const int DeliveryModeShift = 8;
    public const uint DeliveryPending = 1u << 12;
    public const uint ActiveLow = 1u << 13;
    public const uint RemoteIrr = 1u << 14;
    public const uint LevelTriggered = 1u << 15;
    public const uint Masked = 1u << 16;

    public static byte Vector(uint low) => (byte)(low & VectorMask);

    public static DeliveryMode DeliveryMode(uint low) => (DeliveryMode)((low >> DeliveryModeShift) & 0b111);

    public static bool IsSet(uint low, uint bit) => (low & bit) != 0;

    public static uint Encode(byte vector, DeliveryMode mode, bool activeLow, bool levelTriggered, bool masked)
        => vector
            | ((uint)mode << DeliveryModeShift)
            | (activeLow ? ActiveLow : 0)
            | (levelTriggered ? LevelTriggered : 0)
            | (masked ? Masked : 0);
}
