// The node's images and the kubelet's EnsureImageExists: the pull policy decides between the image
// already present, ErrImageNeverPull and a pull; pulls take simulated time, failures back off
// (ErrImagePull, then ImagePullBackOff), and each step records the kubelet's events.
import type { Pod } from '../../../kube/types';
import type { ObjectStore } from '../../objectStore';
import { Backoff, goDuration } from '../kubelet/backoff';
import { findImage, imageDigest } from './imageCatalog';
import { missingPullSecrets, pull, pullDurationMs } from './imagePull';
import { defaultPullPolicy, parseImage } from '../../../kube/imageReference';
import type { KubeletEvent } from '../kubelet/kubeletEvents';
import type { ContainerSlot } from '../kubelet/podRuntime';
import { backoffEventMs, errorResyncMs } from '../kubelet/syncIntervals';

export class ImageManager {
  /** Normalized references of the images on the node. */
  private readonly present = new Set<string>();
  private readonly pulls = new Backoff();

  constructor(
    private readonly store: ObjectStore,
    private readonly event: KubeletEvent,
  ) {}

  /** An image a running container already uses (a pod taken over as it is). */
  markPresent(normalized: string): void {
    this.present.add(normalized);
  }

  /**
   * Brings the container's image onto the node. Returns undefined once it is there (with
   * `c.catalog`, `c.image` and `c.imageID` set), otherwise when to look again.
   */
  ensure(pod: Pod, podUid: string, c: ContainerSlot, now: number): number | undefined {
    const image = c.spec.image ?? '';
    const ref = parseImage(image);
    if ('error' in ref) {
      const message = `Failed to apply default image tag ${JSON.stringify(image)}: couldn't parse image name ${JSON.stringify(image)}: ${ref.error}`;
      this.event(pod, c, 'Warning', 'InspectFailed', message);
      this.event(pod, c, 'Warning', 'Failed', 'Error: InvalidImageName');
      c.waiting = { reason: 'InvalidImageName', message };
      return now + errorResyncMs;
    }
    const policy = c.spec.imagePullPolicy ?? defaultPullPolicy(image);
    const pullKey = `${podUid}/${image}`;
    if (c.pullingUntil !== undefined) {
      if (now < c.pullingUntil) return c.pullingUntil;
      const result = pull(this.store, pod, ref);
      const took = c.pullingUntil - (c.pullStartedAt ?? c.pullingUntil);
      delete c.pullingUntil;
      if (!result.ok) {
        this.event(
          pod,
          c,
          'Warning',
          'Failed',
          `Failed to pull image ${JSON.stringify(image)}: ${result.error}`,
        );
        this.event(pod, c, 'Warning', 'Failed', 'Error: ErrImagePull');
        this.pulls.next(pullKey, now);
        c.waiting = { reason: 'ErrImagePull', message: result.error };
        return now + 2_000;
      }
      this.pulls.forget(pullKey);
      this.present.add(ref.normalized);
      const secs = goDuration(took);
      this.event(
        pod,
        c,
        'Normal',
        'Pulled',
        `Successfully pulled image ${JSON.stringify(image)} in ${secs} (${secs} including waiting). Image size: ${result.image.sizeBytes} bytes.`,
      );
      c.catalog = result.image;
    } else if (policy === 'Never' && !this.present.has(ref.normalized)) {
      const message = `Container image ${JSON.stringify(image)} is not present with pull policy of Never`;
      this.event(pod, c, 'Warning', 'ErrImageNeverPull', message);
      this.event(pod, c, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      c.waiting = { reason: 'ErrImageNeverPull', message };
      return now + errorResyncMs;
    } else if (this.present.has(ref.normalized) && policy !== 'Always') {
      this.event(
        pod,
        c,
        'Normal',
        'Pulled',
        `Container image ${JSON.stringify(image)} already present on machine`,
      );
      c.catalog = findImage(ref.repository);
    } else {
      const missing = missingPullSecrets(this.store, pod);
      if (missing.length) {
        this.event(
          pod,
          undefined,
          'Warning',
          'FailedToRetrieveImagePullSecret',
          `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`,
        );
      }
      if (this.pulls.isInBackOffSinceUpdate(pullKey, now)) {
        const previous =
          c.waiting?.reason === 'ErrImagePull' || c.waiting?.reason === 'ImagePullBackOff'
            ? c.waiting.message?.replace(/^Back-off pulling image "[^"]*": ErrImagePull: /, '')
            : undefined;
        this.event(pod, c, 'Normal', 'BackOff', `Back-off pulling image ${JSON.stringify(image)}`);
        this.event(pod, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        c.waiting = {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image ${JSON.stringify(image)}${previous ? `: ErrImagePull: ${previous}` : ''}`,
        };
        return Math.min(
          (this.pulls.lastUpdate(pullKey) ?? now) + this.pulls.get(pullKey),
          now + backoffEventMs,
        );
      }
      this.event(pod, c, 'Normal', 'Pulling', `Pulling image ${JSON.stringify(image)}`);
      const known = pull(this.store, pod, ref);
      c.pullStartedAt = now;
      c.pullingUntil = now + (known.ok ? pullDurationMs(known.image.sizeBytes) : 600);
      return c.pullingUntil;
    }
    c.image = ref.normalized;
    c.imageID = `${ref.repository}@${imageDigest(ref.normalized)}`;
    return undefined;
  }
}
