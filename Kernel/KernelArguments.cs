// The free-form kernel arguments from the loader's config file ("args = ..."),
// a space-separated list of flags ("acpi.dump") and key=value pairs
// ("ktest.suite=interrupts"). The one parser of them: the test runner, the
// fault triggers and every other reader ask here.
namespace Kernel;

public static class KernelArguments
{
    /// <summary>True when <paramref name="flag"/> appears as a whole word in the kernel arguments.</summary>
    public static bool Has(string flag) => Has(KernelState.Arguments, flag);

    /// <summary>The value of "key=value" in the kernel arguments, or null when the key is absent.</summary>
    public static string Value(string key) => Value(KernelState.Arguments, key);

    /// <summary>True when <paramref name="flag"/> appears as a whole word in <paramref name="arguments"/>.</summary>
    public static bool Has(string arguments, string flag)
    {
        foreach (string word in arguments.Split(' '))
        {
            if (word == flag)
                return true;
        }

        return false;
    }

    /// <summary>The value of the first "key=value" word in <paramref name="arguments"/>, or null when the key is absent.</summary>
    public static string Value(string arguments, string key)
    {
        string prefix = key + "=";
        foreach (string word in arguments.Split(' '))
        {
            if (word.StartsWith(prefix))
                return word.Substring(prefix.Length);
        }

        return null;
    }
}
