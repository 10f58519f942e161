// A QR code image for a text, with the `qrcode` library loaded only when a QR is shown.
import { useEffect, useState } from "react";

export function QrCode({ text, alt, loadingLabel }: { text: string; alt: string; loadingLabel: string }) {
  const [dataUrl, setDataUrl] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    void import("qrcode").then(async (QR) => {
      // Error-correction M: survives a smudged phone screen, still small at 240 px.
      const url = await QR.toDataURL(text, { errorCorrectionLevel: "M", margin: 2, width: 480 });
      if (!cancelled) setDataUrl(url);
    });
    return () => {
      cancelled = true;
    };
  }, [text]);
  return (
    <div className="qr">
      {dataUrl ? <img src={dataUrl} alt={alt} width={240} height={240} /> : <p className="progress">{loadingLabel}</p>}
    </div>
  );
}
