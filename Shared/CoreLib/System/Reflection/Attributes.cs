// System.Reflection attributes the C# compiler emits: DefaultMember for
// indexers, AssemblyVersion for the assembly's version.
namespace System.Reflection;

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface)]
public sealed class DefaultMemberAttribute : Attribute
{
    public DefaultMemberAttribute(string memberName) => MemberName = memberName;

    public string MemberName { get; }
}

[AttributeUsage(AttributeTargets.Assembly, Inherited = false)]
public sealed class AssemblyVersionAttribute : Attribute
{
    public AssemblyVersionAttribute(string version) => Version = version;

    public string Version { get; }
}
