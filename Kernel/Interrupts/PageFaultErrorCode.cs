// The error code the CPU pushes with a page fault (Intel SDM vol. 3,
// 4.7): why the access failed and what kind of access it was.
using System;

namespace Kernel.Interrupts;

[Flags]
public enum PageFaultErrorCode : ulong
{
    /// <summary>Set: the page was present, so a permission check failed. Clear: no mapping.</summary>
    ProtectionViolation = 1 << 0,
    Write = 1 << 1,
    UserMode = 1 << 2,

    /// <summary>A reserved bit was set in a paging-structure entry (a corrupt page table).</summary>
    ReservedBit = 1 << 3,
    InstructionFetch = 1 << 4,
    ProtectionKey = 1 << 5,
    ShadowStack = 1 << 6,
    Sgx = 1 << 15,
}

public static class PageFaultErrorCodeText
{
    /// <summary>"page present (protection violation), instruction fetch, supervisor mode" and the like.</summary>
    public static void Describe(PageFaultErrorCode code, ref ReportWriter report)
    {
        report.Append((code & PageFaultErrorCode.ProtectionViolation) != 0
            ? "page present (protection violation)"
            : "page not present");
        if ((code & PageFaultErrorCode.InstructionFetch) != 0)
            report.Append(", instruction fetch");
        else if ((code & PageFaultErrorCode.Write) != 0)
            report.Append(", write");
        else
            report.Append(", read");
        report.Append((code & PageFaultErrorCode.UserMode) != 0 ? ", user mode" : ", supervisor mode");
        if ((code & PageFaultErrorCode.ReservedBit) != 0)
            report.Append(", reserved bit set in a page-table entry");
        if ((code & PageFaultErrorCode.ProtectionKey) != 0)
            report.Append(", protection key");
        if ((code & PageFaultErrorCode.ShadowStack) != 0)
            report.Append(", shadow-stack access");
        if ((code & PageFaultErrorCode.Sgx) != 0)
            report.Append(", SGX");
    }
}
