// Reads a QR code from the camera (getUserMedia, where the browser allows) or from a picture,
// with jsQR loaded only when needed. Reports the decoded text once.
import { useEffect, useRef, useState } from "react";
import { payMessages } from "../../i18n/messages/pay";
import { useT } from "../../i18n/useT";

async function decodeImageData(image: ImageData): Promise<string | null> {
  const { default: jsQR } = await import("jsqr");
  return jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" })?.data ?? null;
}

function imageDataOf(source: CanvasImageSource, width: number, height: number): ImageData | null {
  const canvas = document.createElement("canvas");
  // Big phone photos are scaled down: QR codes decode fine at 1024 px and it is much faster.
  const scale = Math.min(1, 1024 / Math.max(width, height));
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

export async function decodeQrFile(file: File): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  const data = imageDataOf(bitmap, bitmap.width, bitmap.height);
  bitmap.close();
  return data ? decodeImageData(data) : null;
}

export function QrScanner({
  onResult,
  onUnavailable,
}: {
  onResult: (text: string) => void;
  /** No camera (missing, refused or busy): the page stops offering to stop a scan that never began. */
  onUnavailable?: () => void;
}) {
  const t = useT(payMessages);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scan = async () => {
      const video = videoRef.current;
      if (stopped || !video) return;
      if (video.readyState >= 2 && video.videoWidth > 0) {
        const data = imageDataOf(video, video.videoWidth, video.videoHeight);
        const text = data ? await decodeImageData(data) : null;
        if (text && !stopped) {
          stopped = true;
          onResult(text);
          return;
        }
      }
      // A few frames a second is plenty for a code held still, and spares the phone's battery.
      timer = setTimeout(() => void scan(), 250);
    };
    (async () => {
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw new Error("getUserMedia unavailable");
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        if (stopped) return;
        const video = videoRef.current;
        if (!video) return;
        video.srcObject = stream;
        await video.play();
        void scan();
      } catch (e) {
        // The browser's error name (NotFoundError, NotAllowedError) becomes words, never shown as is.
        const name = (e as Error).name;
        onUnavailable?.();
        setError(
          name === "NotAllowedError" || name === "SecurityError"
            ? t("cameraNotAllowed")
            : name === "NotFoundError" || name === "OverconstrainedError"
              ? t("cameraMissing")
              : t("cameraUnavailable"),
        );
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [onResult, onUnavailable, t]);

  return (
    <div className="stack">
      {error ? (
        // A status, not an alert: the page opens on the camera, and its absence is not an error.
        <p className="notice" role="status">
          {error}
        </p>
      ) : (
        <p className="progress" role="status">
          {t("scanning")}
        </p>
      )}
      <video ref={videoRef} className="scanner" muted playsInline aria-label={t("scanning")} hidden={error !== null} />
    </div>
  );
}
