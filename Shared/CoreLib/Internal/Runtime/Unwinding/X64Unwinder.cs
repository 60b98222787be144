// Virtual unwinding of one x64 frame, the way the Windows x64 ABI defines it:
// given a frame's registers, compute its caller's by undoing the prolog that
// the function's unwind codes describe. The stack is read through
// IStackMemory (the kernel reads memory directly; the host tests a simulated
// stack), the code and unwind data through the CodeImage.
using System;

namespace Internal.Runtime.Unwinding;

/// <summary>Reads the stack being unwound.</summary>
public interface IStackMemory
{
    /// <summary>The 8 bytes at <paramref name="address"/>, or false if they may not be read (outside any known stack).</summary>
    bool TryRead(ulong address, out ulong value);
}

public enum UnwindResult
{
    Ok,

    /// <summary>The address is in no function the image describes (machine code without unwind data, or outside the image).</summary>
    NoFunction,

    /// <summary>A stack slot the unwind codes name could not be read.</summary>
    BadStack,

    /// <summary>An unwind code this unwinder does not know (a version or operation Windows does not define).</summary>
    BadUnwindInfo,
}

public static class X64Unwinder
{
    private const int MaxChainDepth = 32;

    /// <summary>
    /// Replaces <paramref name="context"/> (a frame executing at context.Ip) by its caller's. For a frame
    /// that was interrupted or faulted (<paramref name="activeFrame"/>), RIP may sit in an epilog, which is
    /// then emulated; for a frame reached by unwinding, Ip is a return address in the body.
    /// </summary>
    public static UnwindResult Unwind<TStack>(ref UnwindContext context, CodeImage image, ref TStack stack, bool activeFrame = false)
        where TStack : struct, IStackMemory
    {
        int index = image.FindFunction(context.Ip);
        if (index < 0)
            return UnwindResult.NoFunction;

        RuntimeFunction function = image.Function(index);
        if (activeFrame && TryUnwindEpilog(ref context, image, ref stack, out UnwindResult epilogResult))
            return epilogResult;

        uint offset = (uint)(context.Ip - image.Base) - function.Begin;
        bool machineFrame = false;
        for (int depth = 0; depth < MaxChainDepth; depth++)
        {
            UnwindInfo info = image.UnwindInfo(function);
            if (info.Version != 1 && info.Version != 2)
                return UnwindResult.BadUnwindInfo;

            UnwindResult result = UndoPrologue(ref context, info, offset, ref stack, ref machineFrame);
            if (result != UnwindResult.Ok)
                return result;
            if (!info.IsChained)
                break;

            // The chained function's prolog ran completely before this part was reached.
            function = info.Chained;
            offset = uint.MaxValue;
        }

        if (!machineFrame)
        {
            if (!stack.TryRead(context.StackPointer, out ulong returnAddress))
                return UnwindResult.BadStack;
            context.Ip = returnAddress;
            context.StackPointer += 8;
        }

        return UnwindResult.Ok;
    }

    private static UnwindResult UndoPrologue<TStack>(ref UnwindContext context, UnwindInfo info, uint offset, ref TStack stack, ref bool machineFrame)
        where TStack : struct, IStackMemory
    {
        // The establisher frame: what SAVE_NONVOL and SAVE_XMM128 offsets count from.
        ulong frame = context.StackPointer;
        if (info.FrameRegister != 0)
        {
            bool frameSet = offset >= (uint)info.PrologSize || FrameRegisterIsSet(info, offset);
            if (frameSet)
                frame = context.Register(info.FrameRegister) - (ulong)info.FrameOffset;
        }

        int i = 0;
        int count = info.CodeCount;
        while (i < count)
        {
            int slots = info.SlotsAt(i);
            if (i + slots > count)
                return UnwindResult.BadUnwindInfo;

            // In the prolog, only the instructions that have run are undone.
            bool executed = offset >= (uint)info.PrologSize || (uint)info.CodeOffsetAt(i) <= offset;
            if (info.Version == 2 && info.OpAt(i) == UnwindOp.Epilog)
            {
                i += slots;
                continue;
            }

            if (executed)
            {
                UnwindResult result = Apply(ref context, info, i, frame, ref stack, ref machineFrame);
                if (result != UnwindResult.Ok)
                    return result;
            }

            i += slots;
        }

        return UnwindResult.Ok;
    }

    private static bool FrameRegisterIsSet(UnwindInfo info, uint offset)
    {
        for (int i = 0; i < info.CodeCount; i += info.SlotsAt(i))
        {
            if (info.OpAt(i) == UnwindOp.SetFramePointer)
                return (uint)info.CodeOffsetAt(i) <= offset;
        }

        return false;
    }

    private static UnwindResult Apply<TStack>(ref UnwindContext context, UnwindInfo info, int i, ulong frame, ref TStack stack, ref bool machineFrame)
        where TStack : struct, IStackMemory
    {
        int opInfo = info.OpInfoAt(i);
        ulong value;
        switch (info.OpAt(i))
        {
            case UnwindOp.PushNonvolatile:
                if (!stack.TryRead(context.StackPointer, out value))
                    return UnwindResult.BadStack;
                context.Register(opInfo) = value;
                context.StackPointer += 8;
                return UnwindResult.Ok;

            case UnwindOp.AllocLarge:
                context.StackPointer += opInfo == 0 ? (ulong)info.Slot(i + 1) * 8 : info.Slot(i + 1) | ((ulong)info.Slot(i + 2) << 16);
                return UnwindResult.Ok;

            case UnwindOp.AllocSmall:
                context.StackPointer += ((ulong)opInfo * 8) + 8;
                return UnwindResult.Ok;

            case UnwindOp.SetFramePointer:
                context.StackPointer = context.Register(info.FrameRegister) - (ulong)info.FrameOffset;
                return UnwindResult.Ok;

            case UnwindOp.SaveNonvolatile:
                return ReadInto(ref context.Register(opInfo), frame + ((ulong)info.Slot(i + 1) * 8), ref stack);

            case UnwindOp.SaveNonvolatileFar:
                return ReadInto(ref context.Register(opInfo), frame + (info.Slot(i + 1) | ((ulong)info.Slot(i + 2) << 16)), ref stack);

            case UnwindOp.SaveXmm128:
                return ReadXmm(ref context, opInfo, frame + ((ulong)info.Slot(i + 1) * 16), ref stack);

            case UnwindOp.SaveXmm128Far:
                return ReadXmm(ref context, opInfo, frame + (info.Slot(i + 1) | ((ulong)info.Slot(i + 2) << 16)), ref stack);

            case UnwindOp.PushMachineFrame:
                // The CPU's interrupt frame: [error code], RIP, CS, RFLAGS, RSP, SS.
                ulong top = context.StackPointer + (opInfo == 1 ? 8UL : 0UL);
                if (!stack.TryRead(top, out ulong rip) || !stack.TryRead(top + 16, out ulong flags) || !stack.TryRead(top + 24, out ulong rsp))
                    return UnwindResult.BadStack;
                context.Ip = rip;
                context.Flags = flags;
                context.StackPointer = rsp;
                machineFrame = true;
                return UnwindResult.Ok;

            default:
                return UnwindResult.BadUnwindInfo;
        }
    }

    private static UnwindResult ReadInto<TStack>(ref ulong register, ulong address, ref TStack stack)
        where TStack : struct, IStackMemory
    {
        if (!stack.TryRead(address, out ulong value))
            return UnwindResult.BadStack;
        register = value;
        return UnwindResult.Ok;
    }

    private static UnwindResult ReadXmm<TStack>(ref UnwindContext context, int register, ulong address, ref TStack stack)
        where TStack : struct, IStackMemory
    {
        if (!stack.TryRead(address, out ulong low) || !stack.TryRead(address + 8, out ulong high))
            return UnwindResult.BadStack;
        context.XmmLow(register) = low;
        context.XmmHigh(register) = high;
        return UnwindResult.Ok;
    }

    // An interrupted frame may stop inside an epilog, where the prolog's codes no longer describe the
    // stack. Compiled epilogs are "add rsp, n" or "lea rsp, [frame + n]", then pops, then ret: if the
    // bytes at RIP are the rest of one, execute it virtually instead.
    private static bool TryUnwindEpilog<TStack>(ref UnwindContext context, CodeImage image, ref TStack stack, out UnwindResult result)
        where TStack : struct, IStackMemory
    {
        result = UnwindResult.Ok;
        ReadOnlySpan<byte> code = image.Bytes.Slice((int)(context.Ip - image.Base));
        int p = 0;
        ulong rsp = context.StackPointer;
        if (code.Length > 4 && code[0] == 0x48 && code[1] == 0x83 && code[2] == 0xC4)
        {
            rsp += code[3];
            p = 4;
        }
        else if (code.Length > 7 && code[0] == 0x48 && code[1] == 0x81 && code[2] == 0xC4)
        {
            rsp += (uint)(code[3] | (code[4] << 8) | (code[5] << 16) | (code[6] << 24));
            p = 7;
        }

        int pops = p;
        while (pops + 1 < code.Length && (IsPop(code, pops, out _) > 0))
            pops += IsPop(code, pops, out _);
        if (pops >= code.Length || code[pops] != 0xC3)
            return false;

        // It is an epilog: pop what remains and return.
        while (p < pops)
        {
            int length = IsPop(code, p, out int register);
            if (!stack.TryRead(rsp, out ulong value))
            {
                result = UnwindResult.BadStack;
                return true;
            }

            context.Register(register) = value;
            rsp += 8;
            p += length;
        }

        if (!stack.TryRead(rsp, out ulong returnAddress))
        {
            result = UnwindResult.BadStack;
            return true;
        }

        context.Ip = returnAddress;
        context.StackPointer = rsp + 8;
        return true;
    }

    private static int IsPop(ReadOnlySpan<byte> code, int p, out int register)
    {
        register = 0;
        if (code[p] >= 0x58 && code[p] <= 0x5F)
        {
            register = code[p] - 0x58;
            return 1;
        }

        if (code[p] == 0x41 && p + 1 < code.Length && code[p + 1] >= 0x58 && code[p + 1] <= 0x5F)
        {
            register = 8 + code[p + 1] - 0x58;
            return 2;
        }

        return 0;
    }
}
