using CloudIntegration.Errors;
using CloudIntegration.Native.Pkcs11;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>
/// The one place where the binding's exceptions become the user's one-line errors. Each names the library or token,
/// the PKCS#11 function and its CKR_ value, and for a refused wrap the mechanism, its parameters and what would work.
/// </summary>
static class Pkcs11Errors
{
    public static T Translate<T>(string where, Func<T> core, Func<IEnumerable<string>>? workingAlgorithms = null)
    {
        try
        {
            return core();
        }
        catch (Pkcs11LibraryException e)
        {
            throw e.Problem switch
            {
                Pkcs11LibraryProblem.Missing => RuntimeErrors.Pkcs11LibraryMissing(e.LibraryPath, e.Detail),
                Pkcs11LibraryProblem.NotLoadable => RuntimeErrors.Pkcs11LibraryNotLoadable(e.LibraryPath, e.Detail),
                _ => RuntimeErrors.Pkcs11NotALibrary(e.LibraryPath, e.Detail),
            };
        }
        catch (Pkcs11Exception e)
        {
            throw ToCli(e, where, workingAlgorithms);
        }
    }

    public static void Translate(string where, Action core, Func<IEnumerable<string>>? workingAlgorithms = null) =>
        Translate(where, () =>
        {
            core();
            return 0;
        }, workingAlgorithms);

    static ToolError ToCli(Pkcs11Exception e, string where, Func<IEnumerable<string>>? workingAlgorithms)
    {
        var call = e.Message;
        return e.ReturnValue switch
        {
            _ when e.Function == "C_Initialize" => RuntimeErrors.Pkcs11LibraryFailed(where, call, e),
            CKR.PIN_INCORRECT or CKR.PIN_INVALID or CKR.PIN_LEN_RANGE => RuntimeErrors.Pkcs11WrongPin(where, call, e),
            CKR.PIN_LOCKED or CKR.PIN_EXPIRED => RuntimeErrors.Pkcs11PinLocked(where, call, e),
            CKR.TOKEN_NOT_PRESENT or CKR.DEVICE_REMOVED or CKR.TOKEN_NOT_RECOGNIZED => RuntimeErrors.Pkcs11TokenGone(where, call, e),
            CKR.MECHANISM_INVALID or CKR.MECHANISM_PARAM_INVALID or CKR.ARGUMENTS_BAD when e.Function == "C_WrapKey" =>
                RuntimeErrors.Pkcs11WrapRefused(where, e.Mechanism ?? "the requested mechanism", call, Safely(workingAlgorithms), e),
            CKR.MECHANISM_INVALID or CKR.MECHANISM_PARAM_INVALID when e.Mechanism is not null =>
                RuntimeErrors.Pkcs11MechanismRefused(where, e.Mechanism, call, e),
            _ => RuntimeErrors.Pkcs11Failed(where, e.Mechanism is null ? call : $"{call} ({e.Mechanism})", e),
        };
    }

    /// <summary>The advice is computed by asking the token again; if that fails too, the error goes out without it.</summary>
    static IReadOnlyList<string> Safely(Func<IEnumerable<string>>? workingAlgorithms)
    {
        try
        {
            return workingAlgorithms?.Invoke().ToList() ?? [];
        }
        catch (Exception e) when (e is Pkcs11Exception or ToolError)
        {
            return [];
        }
    }
}
