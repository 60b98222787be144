// The MADT entry walk over hand-made tables: every entry type, and entries
// that are unknown, longer or shorter than their type, or malformed.
using Shared.Acpi;
using Xunit;
using static Host.Tests.Acpi.AcpiBytes;

namespace Host.Tests.Acpi;

public sealed class MadtTests
{
    [Fact]
    public void AllKnownEntryTypes_AreParsed()
    {
        byte[] table = MadtBytes(0xFEE0_0000, 1,
            ProcessorEntry(0, 0, 1),
            ProcessorEntry(1, 2, 2),
            IoApicEntry(4, 0xFEC0_0000, 0),
            IoApicEntry(5, 0xFEC0_1000, 24),
            OverrideEntry(0, 2, 0),
            OverrideEntry(9, 20, 0b1111),
            Entry(3, BitConverter.GetBytes((ushort)0b0101), BitConverter.GetBytes(30u)),
            LocalApicNmiEntry(0xFF, 0b0111, 1),
            AddressOverrideEntry(0x1_0000_0000),
            Entry(9, new byte[2], BitConverter.GetBytes(300u), BitConverter.GetBytes(1u), BitConverter.GetBytes(77u)),
            Entry(0x0A, BitConverter.GetBytes((ushort)0), BitConverter.GetBytes(77u), new byte[] { 0, 0, 0, 0 }));

        Madt madt = Madt.Parse(table)!;

        Assert.Empty(madt.Problems);
        Assert.Equal(0xFEE0_0000u, madt.LocalApicAddress32);
        Assert.Equal(0x1_0000_0000UL, madt.LocalApicAddress);
        Assert.True(madt.HasLegacyPics);
        Assert.Equal(new[] { (0u, 0u, true, false), (1u, 2u, false, true), (77u, 300u, true, true) },
            madt.Processors.Select(p => (p.ProcessorUid, p.ApicId, p.Enabled, p.IsX2Apic || p.OnlineCapable)));
        Assert.Equal(2, madt.EnabledProcessorCount);
        Assert.Equal(new[] { (4, 0xFEC0_0000UL, 0u), (5, 0xFEC0_1000UL, 24u) }, madt.IoApics.Select(i => ((int)i.Id, i.Address, i.GsiBase)));
        Assert.Equal(InterruptPolarity.ActiveLow, madt.Overrides[1].Flags.Polarity);
        Assert.Equal(TriggerMode.Level, madt.Overrides[1].Flags.Trigger);
        NmiSource nmiSource = Assert.Single(madt.NmiSources);
        Assert.Equal(30u, nmiSource.Gsi);
        Assert.Equal((InterruptPolarity.ActiveHigh, TriggerMode.Edge), (nmiSource.Flags.Polarity, nmiSource.Flags.Trigger));
        Assert.Equal(new[] { (LocalApicNmi.AllProcessors, (byte)1), (77u, (byte)0) }, madt.LocalApicNmis.Select(n => (n.ProcessorUid, n.Lint)));
        Assert.Equal(InterruptPolarity.ActiveLow, madt.LocalApicNmis[0].Flags.Polarity);
    }

    [Fact]
    public void UnknownEntryTypes_AreCountedAndSkippedByTheirLength()
    {
        byte[] table = MadtBytes(0xFEE0_0000, 0,
            Entry(0x7F, new byte[4]),
            Entry(0x0B, new byte[78]), // a GIC CPU interface (ARM) entry: not ours
            IoApicEntry(0, 0xFEC0_0000, 0));

        Madt madt = Madt.Parse(table)!;

        Assert.Equal(2, madt.UnknownEntries);
        Assert.Empty(madt.Problems);
        Assert.Single(madt.IoApics);
        Assert.False(madt.HasLegacyPics);
    }

    [Fact]
    public void OverlongEntry_ReadsItsKnownFields_AndTheNextEntryStillParses()
    {
        byte[] longIoApic = Entry(1, new byte[] { 3, 0 }, BitConverter.GetBytes(0xFEC0_0000u), BitConverter.GetBytes(0u), new byte[] { 0xEE, 0xEE, 0xEE, 0xEE });
        byte[] table = MadtBytes(0xFEE0_0000, 1, longIoApic, OverrideEntry(0, 2, 0));

        Madt madt = Madt.Parse(table)!;

        Assert.Equal(16, longIoApic.Length);
        Assert.Empty(madt.Problems);
        Assert.Equal((byte)3, Assert.Single(madt.IoApics).Id);
        Assert.Equal(2u, Assert.Single(madt.Overrides).Gsi);
    }

    [Fact]
    public void EntryTooShortForItsType_IsSkippedWithAProblem()
    {
        byte[] shortIoApic = Entry(1, new byte[] { 3, 0 }, BitConverter.GetBytes(0xFEC0_0000u));
        byte[] table = MadtBytes(0xFEE0_0000, 1, shortIoApic, ProcessorEntry(0, 0, 1));

        Madt madt = Madt.Parse(table)!;

        Assert.Empty(madt.IoApics);
        Assert.Equal("entry of type 1 at offset 44 is 8 bytes, needs 12; skipped", Assert.Single(madt.Problems));
        Assert.Single(madt.Processors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void EntryWithLengthBelowTwo_StopsTheWalkInsteadOfLooping(byte length)
    {
        byte[] broken = { 0, length, 0, 0, 1, 0, 0, 0 };
        byte[] table = MadtBytes(0xFEE0_0000, 1, ProcessorEntry(0, 0, 1), broken, ProcessorEntry(1, 1, 1));

        Madt madt = Madt.Parse(table)!;

        Assert.Single(madt.Processors);
        Assert.Equal($"entry of type 0 at offset 52 has length {length}; the rest of the table is ignored", Assert.Single(madt.Problems));
    }

    [Fact]
    public void StrayByteAtTheEnd_IsReported()
    {
        byte[] table = MadtBytes(0xFEE0_0000, 1, ProcessorEntry(0, 0, 1), new byte[] { 0 });

        Madt madt = Madt.Parse(table)!;

        Assert.Single(madt.Processors);
        Assert.Equal("1 stray byte at the end of the entry list (offset 52)", Assert.Single(madt.Problems));
    }

    [Fact]
    public void TableWithoutRoomForItsFixedFields_IsRejected()
        => Assert.Null(Madt.Parse(Table("APIC", 4, new byte[4])));

    [Fact]
    public void Topology_IgnoresOverridesForOtherBuses_AndRoutesByTheIsaOnes()
    {
        byte[] otherBus = Entry(2, new byte[] { 1, 1 }, BitConverter.GetBytes(17u), BitConverter.GetBytes((ushort)0));
        byte[] table = MadtBytes(0xFEE0_0000, 1, IoApicEntry(0, 0xFEC0_0000, 0), otherBus, OverrideEntry(4, 20, 0b1101));

        InterruptTopology topology = InterruptTopology.FromMadt(Madt.Parse(table)!);

        Assert.Equal("IRQ1 -> GSI 1 edge/high", topology.RouteIsaIrq(1).ToString());
        Assert.Equal("IRQ4 -> GSI 20 level/high (override)", topology.RouteIsaIrq(4).ToString());
    }

    [Fact]
    public void Topology_WithTwoIoApics_FindsTheOneServingAGsi()
    {
        byte[] table = MadtBytes(0xFEE0_0000, 1, IoApicEntry(1, 0xFEC1_0000, 24), IoApicEntry(0, 0xFEC0_0000, 0));

        InterruptTopology topology = InterruptTopology.FromMadt(Madt.Parse(table)!);

        Assert.True(topology.TryFindIoApic(5, out IoApicInfo low));
        Assert.Equal((byte)0, low.Id);
        Assert.True(topology.TryFindIoApic(30, out IoApicInfo high));
        Assert.Equal((byte)1, high.Id);
    }

    [Fact]
    public void Topology_FromAMadtWithoutIoApics_AssumesTheDefaultOne()
    {
        InterruptTopology topology = InterruptTopology.FromMadt(Madt.Parse(MadtBytes(0xFEE0_0000, 1, ProcessorEntry(0, 0, 1)))!);

        Assert.Equal(InterruptTopology.DefaultIoApicAddress, Assert.Single(topology.IoApics).Address);
        Assert.Equal(1, topology.ProcessorCount);
    }

    [Theory]
    [InlineData(0b0000, InterruptPolarity.ActiveHigh, TriggerMode.Edge)]
    [InlineData(0b0001, InterruptPolarity.ActiveHigh, TriggerMode.Edge)]
    [InlineData(0b0011, InterruptPolarity.ActiveLow, TriggerMode.Edge)]
    [InlineData(0b0100, InterruptPolarity.ActiveHigh, TriggerMode.Edge)]
    [InlineData(0b1100, InterruptPolarity.ActiveHigh, TriggerMode.Level)]
    [InlineData(0b1111, InterruptPolarity.ActiveLow, TriggerMode.Level)]
    [InlineData(0b1010, InterruptPolarity.ActiveHigh, TriggerMode.Edge)] // reserved encodings read as the ISA default
    public void MpsIntiFlags_DecodeToPolarityAndTrigger(ushort flags, InterruptPolarity polarity, TriggerMode trigger)
    {
        InterruptFlags decoded = InterruptFlags.FromMpsInti(flags);
        Assert.Equal((polarity, trigger), (decoded.Polarity, decoded.Trigger));
    }
}
