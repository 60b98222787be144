// ILCompiler's linker names turned back into C#-like names for reports.
using AsmGen.Symbols;
using Xunit;

namespace Host.Tests.Symbols;

public sealed class SymbolNamesTests
{
    [Theory]
    [InlineData("Kernel_Kernel_Diagnostics_Panic__Fail", "Kernel.Diagnostics.Panic.Fail")]
    [InlineData("Kernel_Kernel_KernelState__get_Arguments", "Kernel.KernelState.get_Arguments")]
    [InlineData("Kernel_Kernel_Testing_Assert__Equal_0", "Kernel.Testing.Assert.Equal_0")]
    [InlineData("S_P_CoreLib_System_Runtime_TypeCast__FailCast", "System.Runtime.TypeCast.FailCast")]
    [InlineData("S_P_CoreLib_System_Collections_Generic_List_1<Int32>__Add", "System.Collections.Generic.List<Int32>.Add")]
    [InlineData("S_P_CoreLib_System_Func_2<Int32__Int32>__Invoke", "System.Func<Int32, Int32>.Invoke")]
    [InlineData("Kernel_Kernel_Tests_RuntimeTests_Box_1<Int32>__Map<System___Canon>", "Kernel.Tests.RuntimeTests.Box<Int32>.Map<__Canon>")]
    [InlineData("Kernel_Kernel_Tests_RuntimeTests___c___Delegates_b__20_0", "Kernel.Tests.RuntimeTests._c___Delegates_b__20_0")]
    public void Readable_TurnsIlcNamesIntoDottedNames(string mangled, string expected)
        => Assert.Equal(expected, SymbolNames.Readable(mangled));

    [Theory]
    [InlineData("cpu_int3")]
    [InlineData("RhpStackProbe")]
    [InlineData("__GetNonGCStaticBase_Kernel_Kernel_Tests_RuntimeTests_LazyInit")]
    [InlineData("KernelMain")]
    [InlineData("Kernel_")]
    public void Readable_LeavesOtherNamesAlone(string name)
        => Assert.Equal(name, SymbolNames.Readable(name));

    [Fact]
    public void IsManaged_RecognizesCompiledCSharpMethods()
    {
        Assert.True(SymbolNames.IsManaged("Kernel_Kernel_KernelMain__Entry"));
        Assert.False(SymbolNames.IsManaged("KernelMain"));
        Assert.False(SymbolNames.IsManaged("cpu_int3"));
    }
}
