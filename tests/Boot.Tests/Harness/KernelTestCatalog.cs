// The kernel tests, read from the test kernel's IL: every method carrying
// [Kernel.Testing.KernelTest], with the attribute's named arguments. The same
// attribute is what tools/TestGenerator compiles into the kernel's test
// table, so the two lists cannot drift apart.
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Boot.Tests.Harness;

public sealed record KernelTestInfo(string Name, string Suite, bool ShouldPanic, string? ExpectedPanic)
{
    /// <summary>
    /// Suites named selftest-* check the test framework itself, and suites named config-* need a kernel.conf of
    /// their own (booted by a dedicated boot test, e.g. HeapAllocatorTests): neither runs in the ordinary schedule.
    /// </summary>
    public bool IsSelfTest => Suite.StartsWith("selftest-", StringComparison.Ordinal) || Suite.StartsWith("config-", StringComparison.Ordinal);
}

public static class KernelTestCatalog
{
    private static readonly Lazy<IReadOnlyList<KernelTestInfo>> s_all = new(() => Read(Repository.TestKernelIl));

    public static IReadOnlyList<KernelTestInfo> All => s_all.Value;

    public static KernelTestInfo Find(string name)
        => All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no kernel test named {name}");

    public static IReadOnlyList<KernelTestInfo> Read(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
            throw new FileNotFoundException($"the test kernel's IL is missing: build it with ./build.sh --target=Build", assemblyPath);

        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        var tests = new List<KernelTestInfo>();
        foreach (MethodDefinitionHandle handle in metadata.MethodDefinitions)
        {
            MethodDefinition method = metadata.GetMethodDefinition(handle);
            foreach (CustomAttributeHandle attributeHandle in method.GetCustomAttributes())
            {
                CustomAttribute attribute = metadata.GetCustomAttribute(attributeHandle);
                if (AttributeTypeName(metadata, attribute) != "Kernel.Testing.KernelTestAttribute")
                    continue;

                TypeDefinition type = metadata.GetTypeDefinition(method.GetDeclaringType());
                string name = metadata.GetString(type.Name) + "." + metadata.GetString(method.Name);
                CustomAttributeValue<string> value = attribute.DecodeValue(new StringTypeProvider());
                string suite = "main";
                bool shouldPanic = false;
                string? expectedPanic = null;
                foreach (CustomAttributeNamedArgument<string> argument in value.NamedArguments)
                {
                    switch (argument.Name)
                    {
                        case "Suite":
                            suite = (string?)argument.Value ?? suite;
                            break;
                        case "ShouldPanic":
                            shouldPanic = argument.Value is true;
                            break;
                        case "ExpectedPanic":
                            expectedPanic = (string?)argument.Value;
                            shouldPanic |= expectedPanic is not null;
                            break;
                    }
                }

                tests.Add(new KernelTestInfo(name, suite, shouldPanic, expectedPanic));
            }
        }

        return tests.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    private static string AttributeTypeName(MetadataReader metadata, CustomAttribute attribute)
    {
        EntityHandle type = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };

        return type.Kind switch
        {
            HandleKind.TypeDefinition => FullName(metadata, metadata.GetTypeDefinition((TypeDefinitionHandle)type)),
            HandleKind.TypeReference => metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)type).Namespace) + "." + metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)type).Name),
            _ => "",
        };
    }

    private static string FullName(MetadataReader metadata, TypeDefinition type)
        => metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);

    // Enough of a signature decoder for attribute arguments of primitive and string types.
    private sealed class StringTypeProvider : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSerializedName(string name) => name;

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type";
    }
}
