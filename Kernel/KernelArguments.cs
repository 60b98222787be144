// The free-form kernel arguments from the loader's config file ("args = ..."),
// a space-separated list of flags ("acpi.dump") and key=value pairs
// ("ktest.suite=interrupts").
namespace Kernel;

public static class KernelArguments
{
    /// <summary>True when <paramref name="flag"/> appears as a whole word.</summary>
    public static bool Has(string flag)
    {
        foreach (string word in KernelState.Arguments.Split(' '))
        {
            if (word == flag)
                return true;
        }

        return false;
    }

    /// <summary>The value of "key=value", or null when the key is absent.</summary>
    public static string Value(string key)
    {
        string prefix = key + "=";
        foreach (string word in KernelState.Arguments.Split(' '))
        {
            if (word.StartsWith(prefix))
                return word.Substring(prefix.Length);
        }

        return null;
    }
}
