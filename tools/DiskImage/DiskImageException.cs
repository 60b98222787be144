// A disk image that cannot be made as asked (payload too large, disk too small,
// a bad file name): the message says what and by how much.
namespace DiskImage;

public sealed class DiskImageException(string message) : Exception(message);
