// An attachment: audio and video with controls, images inline, anything else as a link. A
// URL without a telling extension (Twilio's media URLs have none) is tried as an image and
// falls back to a link if it is not one.
import { useState } from 'react';

const AUDIO = /\.(mp3|wav|ogg|oga|m4a|aac|amr)(\?|#|$)/i;
const VIDEO = /\.(mp4|webm|mov|3gp)(\?|#|$)/i;
const OTHER = /\.(pdf|txt|csv|vcf|docx?|xlsx?|zip|json)(\?|#|$)/i;

function Link({ url }) {
  return (
    <a className="tp-media-link" href={url} target="_blank" rel="noreferrer noopener" data-testid="media-link">
      {url}
    </a>
  );
}

export default function Media({ url }) {
  const [broken, setBroken] = useState(false);
  if (!url) return null;
  if (AUDIO.test(url)) return <audio className="tp-audio" controls src={url} data-testid="media-audio" />;
  if (VIDEO.test(url)) return <video className="tp-media" controls src={url} data-testid="media-video" />;
  if (OTHER.test(url) || broken) return <Link url={url} />;
  return <img className="tp-media" src={url} alt="Media attachment" onError={() => setBroken(true)} data-testid="media-image" />;
}
