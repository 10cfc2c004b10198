//! QR codes drawn here (the `qrcode` crate's modules), as SVG or PNG: eSIM activation codes
//! and tickets. No third-party service ever sees the secret they hold.

use qrcode::QrCode;
use web::{ApiError, ApiResult};

/// Pixels per module of a PNG, and the quiet zone around the code, in modules.
const SCALE: usize = 8;
const QUIET: usize = 4;

fn code(text: &str) -> ApiResult<QrCode> {
    QrCode::new(text.as_bytes()).map_err(ApiError::internal)
}

/// The QR code of `text`, as an SVG document.
pub fn svg(text: &str) -> ApiResult<String> {
    Ok(code(text)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .build())
}

/// The QR code of `text`, as a greyscale PNG.
pub fn png(text: &str) -> ApiResult<Vec<u8>> {
    let code = code(text)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let (x, y) = (index % modules + QUIET, index / modules + QUIET);
        for row in y * SCALE..(y + 1) * SCALE {
            pixels[row * side + x * SCALE..row * side + (x + 1) * SCALE].fill(0);
        }
    }
    let mut out = Vec::new();
    let side = u32::try_from(side).map_err(ApiError::internal)?;
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(ApiError::internal)?;
    writer
        .write_image_data(&pixels)
        .map_err(ApiError::internal)?;
    writer.finish().map_err(ApiError::internal)?;
    Ok(out)
}
