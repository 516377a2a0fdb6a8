//! Photos: checked to be a photo the service takes (JPEG, PNG or WebP, told from the content),
//! decoded within limits (a small file that claims to be 100,000 pixels square is refused before
//! its memory is taken), turned upright by its EXIF orientation and shrunk to a JPEG thumbnail.
//! Decoding a phone photo takes a CPU for a second or so: at most two at once, off the async
//! runtime.
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::{FileKind, FileStore};
use crate::error::{DomainError, DomainResult};

/// The longer edge of a thumbnail, in pixels (sharp at print size on an A4 record).
pub const THUMB_EDGE: u32 = 640;
/// A photo is at most this many pixels on either edge, and this many in all (a 50-megapixel
/// phone photo fits).
const EDGE_MAX: u32 = 12_000;
const PIXELS_MAX: u64 = 52_000_000;
/// Memory a decode may take (a 50-megapixel photo as RGB is 150 MB).
const DECODE_BYTES_MAX: u64 = 320 * 1024 * 1024;

/// A photo checked and its thumbnail made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thumbnailed {
    pub kind: FileKind,
    /// Of the photo as it is shown (upright).
    pub width: u32,
    pub height: u32,
    /// The thumbnail, a JPEG.
    pub thumbnail: Vec<u8>,
}

static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Checks `bytes` are a photo and makes its thumbnail, off the async runtime.
pub async fn thumbnail(bytes: std::sync::Arc<Vec<u8>>) -> DomainResult<Thumbnailed> {
    let turn = DECODING
        .acquire()
        .await
        .map_err(|_| DomainError::Internal)?;
    // The turn goes with the work: a request given up on still holds it until the decode ends.
    tokio::task::spawn_blocking(move || {
        let made = thumbnail_now(&bytes);
        drop(turn);
        made
    })
    .await
    .map_err(|err| {
        tracing::error!(error = %err, "making a thumbnail");
        DomainError::Internal
    })?
}

fn not_a_photo() -> DomainError {
    DomainError::invalid("photo", "not_a_photo")
}

/// Whether the photo a decoder has read the header of may be decoded: what it would take is
/// checked before it is taken (a few kilobytes of zeros can claim gigabytes; the decoders
/// themselves check only its edges).
fn fits(decoder: &impl ImageDecoder) -> bool {
    let (width, height) = decoder.dimensions();
    width <= EDGE_MAX
        && height <= EDGE_MAX
        && u64::from(width) * u64::from(height) <= PIXELS_MAX
        && decoder.total_bytes() <= DECODE_BYTES_MAX
}

/// `thumbnail`, on this thread.
pub fn thumbnail_now(bytes: &[u8]) -> DomainResult<Thumbnailed> {
    let kind = FileStore::check(bytes).map_err(|err| match err {
        DomainError::Invalid { reason, .. } if reason == "file_too_large" => {
            DomainError::invalid("photo", "file_too_large")
        }
        _ => not_a_photo(),
    })?;
    let format = match kind {
        FileKind::Jpeg => ImageFormat::Jpeg,
        FileKind::Png => ImageFormat::Png,
        FileKind::Webp => ImageFormat::WebP,
        _ => return Err(not_a_photo()),
    };
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(EDGE_MAX);
    limits.max_image_height = Some(EDGE_MAX);
    limits.max_alloc = Some(DECODE_BYTES_MAX);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| not_a_photo())?;
    if !fits(&decoder) {
        return Err(not_a_photo());
    }
    let (width, height) = decoder.dimensions();
    let orientation = decoder.orientation().map_err(|_| not_a_photo())?;
    let photo = DynamicImage::from_decoder(decoder).map_err(|_| not_a_photo())?;
    // Turned upright once small (turning the whole photo would copy it).
    let mut small = photo.thumbnail(THUMB_EDGE, THUMB_EDGE);
    drop(photo);
    small.apply_orientation(orientation);
    let small = small.into_rgb8();
    let mut thumbnail = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut thumbnail, 82)
        .encode_image(&small)
        .map_err(|err| {
            tracing::error!(error = %err, "encoding a thumbnail");
            DomainError::Internal
        })?;
    // As shown: a photo turned a quarter has its edges swapped.
    let (width, height) = match orientation {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (height, width),
        _ => (width, height),
    };
    Ok(Thumbnailed {
        kind,
        width,
        height,
        thumbnail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        assert!(img.write_to(&mut out, ImageFormat::Png).is_ok());
        out.into_inner()
    }

    #[test]
    fn a_photo_gets_a_small_upright_jpeg() {
        let made = thumbnail_now(&png(1600, 900)).expect("thumbnail");
        assert_eq!(
            (made.kind, made.width, made.height),
            (FileKind::Png, 1600, 900)
        );
        assert_eq!(FileKind::of(&made.thumbnail), Some(FileKind::Jpeg));
        let thumb = image::load_from_memory(&made.thumbnail).expect("decodes");
        assert_eq!((thumb.width(), thumb.height()), (THUMB_EDGE, 360));
    }

    #[test]
    fn what_is_not_a_photo_is_refused() {
        let refused = |bytes: &[u8]| thumbnail_now(bytes).err();
        assert_eq!(refused(b"%PDF-1.4\n"), Some(not_a_photo()));
        assert_eq!(refused(b"<html>"), Some(not_a_photo()));
        // A PNG header whose image data is cut off.
        let cut = png(64, 64)[..60].to_vec();
        assert_eq!(refused(&cut), Some(not_a_photo()));
    }

    /// A 1 × 1 PNG whose header claims `edge` × `edge` pixels of 16-bit RGBA.
    fn claiming(edge: u32) -> Vec<u8> {
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&edge.to_be_bytes());
        bomb[20..24].copy_from_slice(&edge.to_be_bytes());
        bomb[24] = 16; // bit depth
        bomb[25] = 6; // RGBA
        let sum = crc(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&sum.to_be_bytes());
        bomb
    }

    fn header_fits(bytes: &[u8]) -> bool {
        let reader = ImageReader::with_format(std::io::Cursor::new(bytes), ImageFormat::Png);
        fits(&reader.into_decoder().expect("a PNG header"))
    }

    #[test]
    fn what_a_photo_would_take_is_checked_from_its_header() {
        // 7,000 × 7,000 16-bit RGBA: within the edges and pixels, 392 MB decoded.
        assert!(!header_fits(&claiming(7_000)));
        assert_eq!(thumbnail_now(&claiming(7_000)).err(), Some(not_a_photo()));
        // 4,000 × 4,000 of it is 128 MB: may be decoded (this one then fails, having no data).
        assert!(header_fits(&claiming(4_000)));
        assert!(header_fits(&png(1600, 900)));
    }

    /// The CRC-32 of a PNG chunk's type and data.
    fn crc(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_bomb_is_refused_before_it_is_decoded() {
        // A valid PNG header claiming 50,000 × 50,000 pixels, with almost no data.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&50_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&50_000u32.to_be_bytes());
        assert_eq!(thumbnail_now(&bomb).err(), Some(not_a_photo()));
    }
}
