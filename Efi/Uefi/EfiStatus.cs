// EFI_STATUS values (UEFI spec, Appendix D) and their names for error reports.
namespace Efi.Uefi;

public enum EfiStatus : ulong
{
    Success = 0,
    LoadError = 0x8000000000000001,
    InvalidParameter = 0x8000000000000002,
    Unsupported = 0x8000000000000003,
    BadBufferSize = 0x8000000000000004,
    BufferTooSmall = 0x8000000000000005,
    NotReady = 0x8000000000000006,
    DeviceError = 0x8000000000000007,
    WriteProtected = 0x8000000000000008,
    OutOfResources = 0x8000000000000009,
    VolumeCorrupted = 0x800000000000000A,
    VolumeFull = 0x800000000000000B,
    NoMedia = 0x800000000000000C,
    MediaChanged = 0x800000000000000D,
    NotFound = 0x800000000000000E,
    AccessDenied = 0x800000000000000F,
    NoResponse = 0x8000000000000010,
    NoMapping = 0x8000000000000011,
    Timeout = 0x8000000000000012,
    NotStarted = 0x8000000000000013,
    AlreadyStarted = 0x8000000000000014,
    Aborted = 0x8000000000000015,
    IcmpError = 0x8000000000000016,
    TftpError = 0x8000000000000017,
    ProtocolError = 0x8000000000000018,
    IncompatibleVersion = 0x8000000000000019,
    SecurityViolation = 0x800000000000001A,
    CrcError = 0x800000000000001B,
    EndOfMedia = 0x800000000000001C,
    EndOfFile = 0x800000000000001F,
    InvalidLanguage = 0x8000000000000020,
    CompromisedData = 0x8000000000000021,
}

public static class EfiStatusNames
{
    public static bool IsError(this EfiStatus status) => ((ulong)status >> 63) != 0;

    public static string Name(EfiStatus status) => status switch
    {
        EfiStatus.Success => "EFI_SUCCESS",
        EfiStatus.LoadError => "EFI_LOAD_ERROR",
        EfiStatus.InvalidParameter => "EFI_INVALID_PARAMETER",
        EfiStatus.Unsupported => "EFI_UNSUPPORTED",
        EfiStatus.BadBufferSize => "EFI_BAD_BUFFER_SIZE",
        EfiStatus.BufferTooSmall => "EFI_BUFFER_TOO_SMALL",
        EfiStatus.NotReady => "EFI_NOT_READY",
        EfiStatus.DeviceError => "EFI_DEVICE_ERROR",
        EfiStatus.WriteProtected => "EFI_WRITE_PROTECTED",
        EfiStatus.OutOfResources => "EFI_OUT_OF_RESOURCES",
        EfiStatus.VolumeCorrupted => "EFI_VOLUME_CORRUPTED",
        EfiStatus.VolumeFull => "EFI_VOLUME_FULL",
        EfiStatus.NoMedia => "EFI_NO_MEDIA",
        EfiStatus.MediaChanged => "EFI_MEDIA_CHANGED",
        EfiStatus.NotFound => "EFI_NOT_FOUND",
        EfiStatus.AccessDenied => "EFI_ACCESS_DENIED",
        EfiStatus.NoResponse => "EFI_NO_RESPONSE",
        EfiStatus.NoMapping => "EFI_NO_MAPPING",
        EfiStatus.Timeout => "EFI_TIMEOUT",
        EfiStatus.NotStarted => "EFI_NOT_STARTED",
        EfiStatus.AlreadyStarted => "EFI_ALREADY_STARTED",
        EfiStatus.Aborted => "EFI_ABORTED",
        EfiStatus.ProtocolError => "EFI_PROTOCOL_ERROR",
        EfiStatus.IncompatibleVersion => "EFI_INCOMPATIBLE_VERSION",
        EfiStatus.SecurityViolation => "EFI_SECURITY_VIOLATION",
        EfiStatus.CrcError => "EFI_CRC_ERROR",
        EfiStatus.EndOfMedia => "EFI_END_OF_MEDIA",
        EfiStatus.EndOfFile => "EFI_END_OF_FILE",
        EfiStatus.CompromisedData => "EFI_COMPROMISED_DATA",
        _ => "EFI_STATUS(unknown)",
    };
}
