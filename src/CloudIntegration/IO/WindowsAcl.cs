using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace CloudIntegration.IO;

/// <summary>
/// Owner-only protection on Windows, the counterpart of modes 0700 and 0600: a protected ACL (nothing inherited from
/// the parent directory, so not the Users, Administrators or SYSTEM entries a profile folder grants) whose one entry
/// gives the current user full control. A directory's entry is inheritable, so the files written into it get the same
/// single entry; owner-only files are also created with it explicitly.
/// </summary>
[SupportedOSPlatform("windows")]
static class WindowsAcl
{
    const InheritanceFlags ToChildren = InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit;

    static SecurityIdentifier CurrentUser
    {
        get
        {
            using var identity = WindowsIdentity.GetCurrent();
            return identity.User ?? throw new InvalidOperationException("the current Windows user has no security identifier");
        }
    }

    /// <summary>Creates one directory (its parent must exist) with the owner-only ACL; false when the name already exists.</summary>
    public static bool TryCreatePrivateDirectory(string path)
    {
        if (Path.Exists(path)) return false;
        var security = new DirectorySecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        security.AddAccessRule(new FileSystemAccessRule(CurrentUser, FileSystemRights.FullControl, ToChildren, PropagationFlags.None, AccessControlType.Allow));
        new DirectoryInfo(path).Create(security);
        return true;
    }

    /// <summary>A new file, opened for writing, whose ACL is the owner-only one.</summary>
    public static FileStream CreatePrivateFile(string path)
    {
        var security = new FileSecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        security.AddAccessRule(new FileSystemAccessRule(CurrentUser, FileSystemRights.FullControl, AccessControlType.Allow));
        return new FileInfo(path).Create(FileMode.CreateNew, FileSystemRights.Write | FileSystemRights.Synchronize, FileShare.None,
                                         4096, FileOptions.None, security);
    }

    /// <summary>What makes a directory readable by others (null when only the current user is in its ACL).</summary>
    public static string? Exposure(string path)
    {
        var security = new DirectoryInfo(path).GetAccessControl(AccessControlSections.Access);
        if (!security.AreAccessRulesProtected) return "it inherits entries from its parent directory";
        var user = CurrentUser;
        foreach (FileSystemAccessRule rule in security.GetAccessRules(includeExplicit: true, includeInherited: true, typeof(SecurityIdentifier)))
        {
            if (rule.AccessControlType == AccessControlType.Allow && !user.Equals(rule.IdentityReference))
            {
                return $"its ACL grants access to {Name(rule.IdentityReference)}";
            }
        }
        return null;
    }

    /// <summary>The icacls command that gives <paramref name="path"/> the owner-only ACL.</summary>
    public static string FixCommand(string path) => $"icacls \"{path}\" /inheritance:r /grant:r \"%USERNAME%:(OI)(CI)F\" and remove the other entries";

    static string Name(IdentityReference identity)
    {
        try
        {
            return identity.Translate(typeof(NTAccount)).Value;
        }
        catch (IdentityNotMappedException)
        {
            return identity.Value;
        }
    }
}
