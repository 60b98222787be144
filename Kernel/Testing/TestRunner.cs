// Runs the kernel tests compiled into a test image and reports them on the
// serial port in a line format tests/Boot.Tests parses:
//
//   [ktest] run <count> <selection>
//   [ktest] start <name>
//   [ktest] pass <name> <duration>
//   [ktest] fail <name> <duration> <message>
//   [ktest] summary <passed> <failed>
//   <passed> passed, <failed> failed
//
// then exits QEMU through isa-debug-exit: 0x10 (status 33) when every test
// passed, 0x11 (status 35) otherwise. Which tests run is chosen by the kernel
// arguments (BootConfig.Arguments, from the loader's config file):
//   ktest.suite=<suite>   every test of a suite (default: main); several: ktest.suite=main,gc
//   ktest.only=<prefixes> of the selected suites, only tests whose names start with one of the
//                         comma-separated prefixes (e.g. ktest.only=RuntimeTests.,GcTests.Cycles)
//   ktest.skip=<prefixes> of the selected suites, leave out tests whose names start with one of them
//   ktest.test=<name>     one test
//   ktest.list            print "[ktest] test <name> <suite> <should-panic>" for each test, run none
//   ktest.halt            after the summary, print "[ktest] halted" and halt instead of exiting QEMU,
//                         so a boot test can still look at the screen
// A failed assertion or any other exception a test lets escape ends only
// that test: it fails with the exception (type, message and stack trace).
// A panic ends the run: the running test fails with the panic message (or
// passes, if it expected the panic).
using System;
using System.Runtime.InteropServices;
using Kernel.Arch;
using Kernel.Diagnostics;
using Shared.Boot;

namespace Kernel.Testing;

public static unsafe class TestRunner
{
    private const string SuiteArgument = "ktest.suite";
    private const string TestArgument = "ktest.test";
    private const string ListArgument = "ktest.list";
    private const string HaltArgument = "ktest.halt";
    private const string OnlyArgument = "ktest.only";
    private const string SkipArgument = "ktest.skip";

    private static TestCase[] s_tests;
    private static int s_current = -1;
    private static string s_failure;
    private static byte* s_jumpBuffer;
    private static delegate*<void> s_testMethod;
    private static ulong s_startTsc;
    private static int s_passed;
    private static int s_failed;
    private static bool s_haltAtEnd;
    private static string s_prefixes;
    private static string s_skipped;

    [DllImport("*", EntryPoint = "rt_run_guarded"), SuppressGCTransition]
    private static extern int RunGuarded(delegate*<void> test, byte* jumpBuffer, void* argument);

    [DllImport("*", EntryPoint = "rt_abort_guarded"), SuppressGCTransition]
    private static extern void AbortGuarded(byte* jumpBuffer);

    /// <summary>True while a test image runs its tests.</summary>
    public static bool IsRunning => s_tests != null;

    public static void Run(BootInfo* bootInfo)
    {
        s_tests = TestTable.Create();
        s_jumpBuffer = AlignedBuffer(256);
        Panic.SetHook(&OnPanic);

        s_haltAtEnd = KernelArguments.Has(HaltArgument);
        if (KernelArguments.Has(ListArgument))
        {
            foreach (TestCase test in s_tests)
                Line("[ktest] test " + test.Name + " " + test.Suite + " " + (test.ShouldPanic ? "should-panic" : "normal"));
            Finish();
        }

        string onlyTest = KernelArguments.Value(TestArgument);
        s_prefixes = KernelArguments.Value(OnlyArgument);
        s_skipped = KernelArguments.Value(SkipArgument);
        string suite = KernelArguments.Value(SuiteArgument) ?? "main";
        int selected = 0;
        for (int i = 0; i < s_tests.Length; i++)
        {
            if (IsSelected(s_tests[i], onlyTest, suite))
                selected++;
        }

        string selection = onlyTest is null ? "suite " + suite : "test " + onlyTest;
        if (selected == 0)
        {
            Line("[ktest] error no kernel test matches " + selection);
            s_failed = 1;
            Finish();
        }

        Line("[ktest] run " + selected.ToString() + " " + selection);
        for (int i = 0; i < s_tests.Length; i++)
        {
            if (IsSelected(s_tests[i], onlyTest, suite))
                RunTest(i);
        }

        Finish();
    }

    /// <summary>Ends the running test as failed without unwinding it (its finally blocks do not run). Never returns.</summary>
    public static void AbortTest(string message)
    {
        if (s_current < 0)
            Panic.Fail("assertion failed outside a test: " + message);
        s_failure = message;
        AbortGuarded(s_jumpBuffer);
    }

    private static bool IsSelected(TestCase test, string onlyTest, string suite)
        => onlyTest is not null ? test.Name == onlyTest : InList(suite, test.Suite, exact: true) && !test.ShouldPanic && (s_prefixes is null || InList(s_prefixes, test.Name, exact: false))
            && (s_skipped is null || !InList(s_skipped, test.Name, exact: false));

    // Whether `value` equals (or, not exact, starts with) one of the comma-separated entries of `list`.
    private static bool InList(string list, string value, bool exact)
    {
        foreach (string entry in list.Split(','))
        {
            if (entry.Length > 0 && (exact ? value == entry : value.StartsWith(entry)))
                return true;
        }

        return false;
    }

    private static void RunTest(int index)
    {
        TestCase test = s_tests[index];
        Line("[ktest] start " + test.Name);
        s_current = index;
        s_failure = null;
        s_startTsc = Cpu.ReadTimeStampCounter();
        s_testMethod = test.Method;
        int aborted = RunGuarded(&RunCatching, s_jumpBuffer, null);
        string duration = Duration();
        s_current = -1;

        if (aborted != 0 || s_failure is not null)
            Fail(test, duration, s_failure ?? "test aborted");
        else if (test.ShouldPanic)
            Fail(test, duration, "expected a panic, but the test returned normally");
        else
            Pass(test, duration);
    }

    // Runs the test; an exception it lets escape is its failure. (An exception must not reach
    // rt_run_guarded: machine code without unwind data ends a stack walk.)
    private static void RunCatching()
    {
        try
        {
            s_testMethod();
        }
        catch (AssertionFailedException failure)
        {
            s_failure = failure.Message;
        }
        catch (Exception exception)
        {
            s_failure = "threw " + exception.ToString();
        }
    }

    // Installed as the panic hook: the panic ends the run, so report and exit here.
    private static void OnPanic(string message)
    {
        if (s_current < 0)
        {
            Line("[ktest] error kernel panic outside a test: " + OneLine(message));
            s_failed++;
            Finish();
        }

        TestCase test = s_tests[s_current];
        string duration = Duration();
        s_current = -1;
        if (test.ShouldPanic && (test.ExpectedPanic is null || Contains(message, test.ExpectedPanic)))
            Pass(test, duration);
        else if (test.ShouldPanic)
            Fail(test, duration, "panicked, but the message does not contain \"" + test.ExpectedPanic + "\": " + message);
        else
            Fail(test, duration, "kernel panic: " + message);
        Finish();
    }

    private static void Pass(TestCase test, string duration)
    {
        s_passed++;
        Line("[ktest] pass " + test.Name + " " + duration);
    }

    private static void Fail(TestCase test, string duration, string message)
    {
        s_failed++;
        Line("[ktest] fail " + test.Name + " " + duration + " " + OneLine(message));
    }

    private static void Finish()
    {
        Line("[ktest] summary " + s_passed.ToString() + " " + s_failed.ToString());
        Line(s_passed.ToString() + " passed, " + s_failed.ToString() + " failed");
        if (s_haltAtEnd)
        {
            Line("[ktest] halted");
            Cpu.HaltForever();
        }

        QemuExit.Exit(s_failed == 0 ? QemuExit.Success : QemuExit.Failure);
    }

    // TSC cycles until the timer is calibrated (then microseconds).
    private static string Duration() => Time.TimeStampCounter.IsCalibrated ? Time.TimeStampCounter.ToMicroseconds(Cpu.ReadTimeStampCounter() - s_startTsc).ToString() + "us" : (Cpu.ReadTimeStampCounter() - s_startTsc).ToString() + "cycles";

    private static void Line(string text) => KernelLog.WriteLine(text);

    private static string OneLine(string text) => text.Replace('\n', ' ').Replace('\r', ' ');

    private static bool Contains(string text, string value) => text.IndexOf(value) >= 0;

    // Native memory, never freed: a pointer into a managed array kept only as a byte* would not keep the
    // array alive, and the garbage collector would free it under the runner's feet.
    private static byte* AlignedBuffer(int size)
    {
        byte* buffer = (byte*)NativeMemory.AlignedAlloc((nuint)size, 16);
        NativeMemory.Clear(buffer, (nuint)size);
        return buffer;
    }
}
